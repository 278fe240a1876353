import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { AuthService } from '../identity/auth.service.js';
import { IdentityModule } from '../identity/identity.module.js';
import { Metrics } from '../metrics/metrics.js';
import { compiledExecution, withPlainFieldReads } from './compiled-execution.js';
import { createFormatError } from './format-error.js';
import { operationMetrics } from './operation-metrics.js';
import { operationProtection } from './protection.js';
import { contextOf, subscriptionTransport } from './subscriptions.js';

/**
 * GraphQL at /graphql, schema built from the code (printed to apps/server/schema.graphql by
 * `npm run schema:write`). Apollo's CSRF prevention stays on: a browser cannot send a simple
 * cross-site request, so every client sends JSON or an `apollo-require-preflight` header.
 * Subscriptions use graphql-ws on the same path, authenticated by the connection parameters.
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [IdentityModule],
      inject: [APP_CONFIG, LOGGER, AuthService, Metrics],
      useFactory: (config: AppConfig, logger: Logger, auth: AuthService, metrics: Metrics): ApolloDriverConfig => {
        const protection = operationProtection(config.production);
        const formatError = createFormatError(logger);
        let schema: GraphQLSchema | undefined;
        return {
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          csrfPrevention: true,
          introspection: !config.production,
          playground: false,
          includeStacktraceInErrorResponses: false,
          allowBatchedHttpRequests: false,
          validationRules: protection.validationRules,
          parseOptions: protection.parseOptions,
          plugins: [
            // No HTTP cache hints are used; without this plugin no resolver is wrapped for timing.
            ApolloServerPluginCacheControlDisabled(),
            operationMetrics(metrics),
            ...protection.plugins,
            compiledExecution((execution) => metrics.graphqlExecutions.inc({ execution })),
            config.production
              ? ApolloServerPluginLandingPageDisabled()
              : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
          ],
          formatError,
          transformSchema: (built: GraphQLSchema) => (schema = withPlainFieldReads(built)),
          subscriptions: {
            'graphql-ws': subscriptionTransport(auth, formatError, (request) =>
              schema === undefined ? [] : protection.checkSubscription(schema, request),
            ),
          },
          context: contextOf,
        };
      },
    }),
  ],
})
export class ApiGraphqlModule {}

import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core.module.js';
import type { Logger } from '../logging/logger.js';
import { createFormatError } from './format-error.js';

/**
 * GraphQL at /graphql, schema built from the code (printed to apps/server/schema.graphql by
 * `npm run schema:write`). Apollo's CSRF prevention stays on: a browser cannot send a simple
 * cross-site request, so every client sends JSON or an `apollo-require-preflight` header.
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger): ApolloDriverConfig => ({
        path: '/graphql',
        autoSchemaFile: true,
        sortSchema: true,
        csrfPrevention: true,
        introspection: !config.production,
        playground: false,
        includeStacktraceInErrorResponses: false,
        plugins: [
          config.production
            ? ApolloServerPluginLandingPageDisabled()
            : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
        ],
        formatError: createFormatError(logger),
      }),
    }),
  ],
})
export class ApiGraphqlModule {}

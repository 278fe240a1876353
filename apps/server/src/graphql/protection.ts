import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { AppError } from '../common/errors.js';
import { type CostedRequest, queryCost } from './query-cost.js';

/** Bounds on a single operation (docs/api.md lists them for client authors). */
export const OPERATION_LIMITS = {
  /** Nesting of selections; introspection is not counted. */
  maxDepth: 12,
  maxAliases: 20,
  maxDirectives: 20,
  /** Lexical tokens in the document. */
  maxTokens: 4000,
  /** Rows an operation may read and answer, as queryCost counts them (a plan read whole costs about 2,000). */
  maxCost: 50_000,
} as const;

const figures = new Intl.NumberFormat('en-US');

/** QUERY_TOO_COMPLEX, with the operation's cost and the limit; its extensions are already the public ones. */
export function tooComplex(cost: number, limit: number): GraphQLError {
  const message =
    `This query may read about ${figures.format(cost)} rows (cost), more than the ${figures.format(limit)} ` +
    'allowed: ask for fewer items per list (first) or split it.';
  const details = { cost, limit };
  return new GraphQLError(message, {
    originalError: new AppError('QUERY_TOO_COMPLEX', message, details),
    extensions: { code: 'QUERY_TOO_COMPLEX', ...details },
  });
}

function costRefusal(cost: number): GraphQLError | null {
  return cost > OPERATION_LIMITS.maxCost ? tooComplex(cost, OPERATION_LIMITS.maxCost) : null;
}

/** Costs kept per request shape of one document; past this many shapes a document's are counted afresh. */
const COSTS_KEPT_PER_DOCUMENT = 64;
/** Longer variables are counted every time: a cost kept must not hold a large request in memory. */
const MAX_SHAPE_LENGTH = 2048;

/**
 * The cost limit over HTTP, once the operation is known: unlike a validation rule (cached per
 * document), it sees the variables, so `first: $n` is counted as sent. Refused with a 400, as
 * validation errors are. The cost is kept per parsed document (Apollo keeps those) and per
 * operation name and variables, so a client repeating a query does not have it counted again.
 */
function costLimit(): ApolloServerPlugin {
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, response }) {
          let known = costs.get(document);
          if (known === undefined || known.size >= COSTS_KEPT_PER_DOCUMENT) costs.set(document, (known = new Map()));
          const shape = `${request.operationName ?? ''}\u0000${JSON.stringify(request.variables ?? null)}`;
          let cost = known.get(shape);
          if (cost === undefined) {
            cost = queryCost(schema, document, request);
            if (shape.length <= MAX_SHAPE_LENGTH) known.set(shape, cost);
          }
          const refusal = costRefusal(cost);
          if (refusal === null) return;
          response.http.status = 400;
          throw refusal;
        },
      };
    },
  };
}

/**
 * Depth, alias and directive limits (GraphQL Armor), a token limit (GraphQL's parser) and Bascule's
 * cost limit (queryCost), on HTTP through Apollo's validation rules, parse options and plugins, and
 * on graphql-ws through `checkSubscription`. The depth limit stays beside the cost: a chain of single
 * objects costs little per level, yet every level is work for the validation and execution.
 * Field suggestions ("did you mean ...") are blocked in production, where introspection is off too.
 */
export function operationProtection(production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: OPERATION_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: OPERATION_LIMITS.maxAliases },
    maxDirectives: { n: OPERATION_LIMITS.maxDirectives },
    // Counted by GraphQL's own parser (parseOptions below): armor's plugin turns syntax errors into 500s.
    maxTokens: { enabled: false },
    // Counted by queryCost (costLimit above), which knows what each list may hold.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();
  return {
    validationRules: protection.validationRules,
    // The same plugin objects; armor's types come from Apollo's CommonJS build, ours from its ESM one.
    plugins: [...(protection.plugins as unknown as ApolloServerPlugin[]), costLimit()],
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    /**
     * The same limits for a subscription's document and variables: the errors to send back, or none.
     * GraphQL's own rules run first, as over HTTP, so that the cost is counted on a valid operation.
     */
    checkSubscription(schema: GraphQLSchema, request: CostedRequest & { query: string }): readonly GraphQLError[] {
      try {
        const document = parse(request.query, { maxTokens: OPERATION_LIMITS.maxTokens });
        const errors = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
        if (errors.length > 0) return errors;
        const refusal = costRefusal(queryCost(schema, document, request));
        return refusal === null ? [] : [refusal];
      } catch (error) {
        return [error as GraphQLError];
      }
    },
  };
}

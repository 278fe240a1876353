import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';

/** Bounds on a single operation (docs/api.md lists them for client authors). */
export const OPERATION_LIMITS = {
  /** Nesting of selections; introspection is not counted. */
  maxDepth: 12,
  maxAliases: 20,
  maxDirectives: 20,
  /** Lexical tokens in the document. */
  maxTokens: 4000,
  /**
   * Static cost: 2 per object field, 1 per scalar, each level of depth weighing 1.5x the one above
   * (list sizes are bounded by the page-size cap instead). A full dashboard query costs about 45,000.
   */
  maxCost: 100_000,
} as const;

/**
 * Depth, alias, directive and cost limits (GraphQL Armor) and a token limit (GraphQL's parser), on
 * HTTP through Apollo's validation rules and parse options, and on graphql-ws through `checkSubscription`. Field suggestions ("did you
 * mean ...") are blocked in production, where introspection is off too.
 */
export function operationProtection(production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: OPERATION_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: OPERATION_LIMITS.maxAliases },
    maxDirectives: { n: OPERATION_LIMITS.maxDirectives },
    // Counted by GraphQL's own parser (parseOptions below): armor's plugin turns syntax errors into 500s.
    maxTokens: { enabled: false },
    costLimit: { maxCost: OPERATION_LIMITS.maxCost, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();
  return {
    ...protection,
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    /** The same limits for a subscription's document; the errors to send back, or none. */
    checkSubscription(schema: GraphQLSchema, query: string): readonly GraphQLError[] {
      try {
        return validate(schema, parse(query, { maxTokens: OPERATION_LIMITS.maxTokens }), protection.validationRules);
      } catch (error) {
        return [error as GraphQLError];
      }
    },
  };
}

import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, isObjectType, visit } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** How a query was answered: compiled, or by graphql-js (its first run, not compilable, or an error). */
export type QueryExecution = 'compiled' | 'graphql-js';

/** Operations of one document kept compiled; past this many names a document's are compiled afresh. */
const OPERATIONS_KEPT_PER_DOCUMENT = 16;

/** A document compiled for one of its operations, with what a request must send for it to serve. */
interface Compiled {
  readonly query: CompiledQuery;
  /** Variables used inside an input object or a list, which graphql-jit reads as null when not sent. */
  readonly nestedVariables: readonly string[];
}

/**
 * What graphql-jit does not answer as graphql-js does, without an error to tell: `@skip` and
 * `@include` (it ANDs the conditions of every path to a fragment's field, graphql-jit issues 111 and
 * 166), and a variable not sent inside an input object (null there, where graphql-js leaves the
 * field out or takes its default). Documents with the first are not compiled; the second is checked
 * per request.
 */
function compilability(document: DocumentNode): { compilable: boolean; nestedVariables: string[] } {
  let compilable = true;
  let depth = 0;
  const nested = new Set<string>();
  const into = { enter: () => void (depth += 1), leave: () => void (depth -= 1) };
  visit(document, {
    Directive(node) {
      if (node.name.value === 'skip' || node.name.value === 'include') compilable = false;
    },
    ObjectValue: into,
    ListValue: into,
    Variable(node) {
      if (depth > 0) nested.add(node.name.value);
    },
  });
  return { compilable, nestedVariables: [...nested] };
}

/**
 * Queries run by graphql-jit: a query document is compiled once into plain JavaScript that calls
 * the same resolvers (guards, access checks and loaders included) with the same context, which
 * spares graphql-js its generic walk of every field of every object (docs/benchmarks.md, GraphQL).
 * Apollo keeps parsed documents, so a document is compiled once while Apollo keeps it; and only from
 * its second run, as Mercurius does, so that queries sent once (an explorer's, or a flood of distinct
 * documents) cost no compilation.
 *
 * Only an answer without any error is taken from it. When the compiled query reports an error,
 * Apollo runs the operation again through graphql-js, which reports it exactly as always (messages,
 * codes, HTTP status, logging, error formatting); that is safe because a query changes nothing.
 * Mutations and subscriptions are not compiled: a mutation must run once.
 */
export function compiledExecution(observe: (execution: QueryExecution) => void = () => {}): ApolloServerPlugin {
  /** Per document and operation name: compiled (null: it is not), or seen once and not compiled yet. */
  const byDocument = new WeakMap<DocumentNode, Map<string, Compiled | null | 'seen'>>();
  const compiledOf = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined) => {
    let operations = byDocument.get(document);
    if (operations === undefined || operations.size >= OPERATIONS_KEPT_PER_DOCUMENT)
      byDocument.set(document, (operations = new Map()));
    const key = operationName ?? '';
    const known = operations.get(key);
    if (known === undefined) {
      operations.set(key, 'seen');
      return null;
    }
    if (known !== 'seen') return known;
    const { compilable, nestedVariables } = compilability(document);
    const made = compilable ? compileQuery(schema, document, operationName) : null;
    const compiled = made !== null && isCompiledQuery(made) ? { query: made, nestedVariables } : null;
    operations.set(key, compiled);
    return compiled;
  };
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, request, contextValue }) {
          if (operation.operation !== 'query') return null;
          const compiled = compiledOf(schema, document, request.operationName ?? undefined);
          const variables = request.variables ?? {};
          let result: Awaited<ReturnType<CompiledQuery['query']>> | null = null;
          if (compiled !== null && compiled.nestedVariables.every((name) => name in variables))
            try {
              result = await compiled.query.query(undefined, contextValue, variables);
            } catch {
              result = null; // graphql-js runs it and reports what went wrong
            }
          if (result === null || (result.errors !== undefined && result.errors.length > 0)) {
            observe('graphql-js');
            return null;
          }
          observe('compiled');
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: result.data } },
          };
        },
      };
    },
  };
}

/**
 * Gives the fields that only read their parent's property back to GraphQL's default resolution.
 * NestJS gives every field of an object type a resolver (`rootFieldResolver`) that reads the
 * property and falls back on the field's `defaultValue`; for a field without a default value that
 * is a function call per object where graphql-jit compiles a plain property read (2,600 fields in
 * a 100-plan dashboard). Fields with a default value or a field middleware keep Nest's resolver.
 */
export function withPlainFieldReads(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: (GraphQLFieldResolver<unknown, unknown> & { name: string }) | undefined = field.resolve;
      if (resolve?.name !== 'rootFieldResolver') continue;
      // Nest's reader answers an object without the property with the field's default value, if any.
      if ((resolve as (root: object) => unknown)({}) === undefined) field.resolve = undefined;
    }
  }
  return schema;
}

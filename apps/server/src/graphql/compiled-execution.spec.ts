import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from '@jest/globals';
import { buildSchema, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { compiledExecution, type QueryExecution, withPlainFieldReads } from './compiled-execution.js';

interface Plan {
  id: string;
  title: string;
  status: string;
  tags: string[];
  ownerId: string | null;
}

const PLANS: Plan[] = [
  { id: 'p1', title: 'Messagerie vers Bleu', status: 'ACTIVE', tags: ['m365'], ownerId: 'u1' },
  { id: 'p2', title: 'Dossier patient <HDS>', status: 'DRAFT', tags: [], ownerId: null },
  { id: 'p3', title: 'Sans titre', status: 'BROKEN', tags: ['x'], ownerId: 'u2' },
];

/** A schema with what Bascule's has: enums, lists, nullable and non-null fields, async resolvers, errors. */
function schema(): GraphQLSchema {
  const built = buildSchema(`
    enum Status { DRAFT ACTIVE }
    type User { id: ID! name: String! }
    type Plan { id: ID! title: String! status: Status! tags: [String!]! owner: User secret: String }
    input Filter { status: Status, titleContains: String }
    type Query {
      plans(first: Int!, filter: Filter): [Plan!]!
      plan(id: ID!): Plan
      strictPlan(id: ID!): Plan!
      greeting(name: String = "vous"): String!
    }
  `);
  const fields = (type: string) =>
    (built.getType(type) as unknown as { getFields(): Record<string, never> }).getFields();
  const set = (type: string, field: string, resolve: GraphQLFieldResolver<never, never>) =>
    Object.assign(fields(type)[field] as object, { resolve });
  set('Query', 'plans', ((_: unknown, args: { first: number; filter?: { status?: string; titleContains?: string } }) =>
    Promise.resolve(
      PLANS.filter(
        (plan) =>
          (args.filter?.status === undefined || plan.status === args.filter.status) &&
          (args.filter?.titleContains === undefined || plan.title.includes(args.filter.titleContains)),
      ).slice(0, args.first),
    )) as never);
  set('Query', 'plan', ((_: unknown, { id }: { id: string }) => {
    if (id === 'boom') throw new GraphQLError('No plan with this id.', { extensions: { code: 'NOT_FOUND' } });
    return PLANS.find((plan) => plan.id === id) ?? null;
  }) as never);
  set(
    'Query',
    'strictPlan',
    ((_: unknown, { id }: { id: string }) => PLANS.find((plan) => plan.id === id) ?? null) as never,
  );
  set('Query', 'greeting', ((_: unknown, { name }: { name: string }) => `Bonjour ${name}`) as never);
  set('Plan', 'owner', ((plan: Plan) =>
    plan.ownerId === null ? null : Promise.resolve({ id: plan.ownerId, name: `Personne ${plan.ownerId}` })) as never);
  set('Plan', 'secret', (() => {
    throw new Error('not for you');
  }) as never);
  return built;
}

async function serve(plugin: boolean, observed: QueryExecution[] = []) {
  const server = new ApolloServer({
    schema: schema(),
    plugins: plugin ? [compiledExecution((execution) => observed.push(execution))] : [],
    includeStacktraceInErrorResponses: false,
  });
  await server.start();
  return server;
}

/** A request, and how its second run is answered: compiled, or by graphql-js (errors, or not compilable). */
const REQUESTS: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  runs: QueryExecution;
}[] = [
  {
    name: 'a list with nested objects, enums and lists',
    query: '{ plans(first: 2) { id title status tags owner { id name } } }',
    runs: 'compiled',
  },
  {
    name: 'variables, an input object, aliases and fragments',
    query: `query Q($n: Int!, $f: Filter) { active: plans(first: $n, filter: $f) { ...P } all: plans(first: 1) { ...P } }
            fragment P on Plan { id title owner { name } }`,
    variables: { n: 5, f: { status: 'ACTIVE' } },
    runs: 'compiled',
  },
  {
    name: 'skip and include (never compiled)',
    query: '{ plans(first: 3) { id title @skip(if: true) tags @include(if: false) } }',
    runs: 'graphql-js',
  },
  {
    name: 'a fragment used twice, skipped in one place only (never compiled)',
    query: `query Q($x: Boolean!) { a: plans(first: 2) { ...P @skip(if: $x) } b: plans(first: 2) { ...P } }
            fragment P on Plan { id title }`,
    variables: { x: true },
    runs: 'graphql-js',
  },
  {
    name: 'a variable inside an input object, sent',
    query: 'query Q($s: Status) { plans(first: 3, filter: { status: $s }) { id } }',
    variables: { s: 'ACTIVE' },
    runs: 'compiled',
  },
  {
    name: 'a variable inside an input object, not sent (the field is left out)',
    query: 'query Q($s: Status) { plans(first: 2, filter: { status: $s }) { id } }',
    runs: 'graphql-js',
  },
  { name: 'a default argument', query: '{ greeting }', runs: 'compiled' },
  { name: 'a null object', query: '{ plan(id: "nope") { id } }', runs: 'compiled' },
  { name: 'a resolver error', query: '{ plan(id: "boom") { id } plans(first: 1) { id } }', runs: 'graphql-js' },
  {
    name: 'an unexpected error in a nullable field',
    query: '{ plans(first: 1) { id secret } }',
    runs: 'graphql-js',
  },
  { name: 'a null in a non-null field', query: '{ strictPlan(id: "nope") { id } }', runs: 'graphql-js' },
  {
    name: 'an enum the schema does not know, from a resolver',
    query: '{ plans(first: 3) { id status } }',
    runs: 'graphql-js',
  },
  {
    name: 'a variable of the wrong type',
    query: 'query Q($n: Int!) { plans(first: $n) { id } }',
    variables: { n: 'x' },
    runs: 'graphql-js',
  },
  { name: 'a missing variable', query: 'query Q($n: Int!) { plans(first: $n) { id } }', runs: 'graphql-js' },
  {
    name: 'an enum variable outside the enum',
    query: 'query Q($f: Filter) { plans(first: 3, filter: $f) { id } }',
    variables: { f: { status: 'GONE' } },
    runs: 'graphql-js',
  },
  {
    name: 'an input field the type does not have',
    query: 'query Q($f: Filter) { plans(first: 3, filter: $f) { id } }',
    variables: { f: { colour: 'blue' } },
    runs: 'graphql-js',
  },
  {
    name: 'the chosen one of two operations',
    query: 'query A { greeting } query B { plans(first: 1) { title } }',
    operationName: 'B',
    runs: 'compiled',
  },
  { name: 'typenames', query: '{ __typename plans(first: 1) { __typename id } }', runs: 'compiled' },
];

describe('compiled execution (graphql-jit)', () => {
  it('answers every query exactly as graphql-js does, errors included', async () => {
    const observed: QueryExecution[] = [];
    const [compiled, plain] = await Promise.all([serve(true, observed), serve(false)]);
    try {
      // A document is compiled from its second run: the second round is the compiled one.
      for (const round of [1, 2]) {
        for (const { runs: _, ...request } of REQUESTS) {
          const [a, b] = await Promise.all([compiled.executeOperation(request), plain.executeOperation(request)]);
          expect({ round, name: request.name, http: a.http.status, body: a.body }).toEqual({
            round,
            name: request.name,
            http: b.http.status,
            body: b.body,
          });
        }
      }
    } finally {
      await Promise.all([compiled.stop(), plain.stop()]);
    }
    // What answered: graphql-js the first time, then compiled where nothing went wrong and the
    // document can be, graphql-js again for each answer with errors and what is not compiled.
    expect(observed.slice(0, REQUESTS.length)).toEqual(REQUESTS.map(() => 'graphql-js'));
    expect(observed.slice(REQUESTS.length)).toEqual(REQUESTS.map((request) => request.runs));
  });

  it('gives plain property reads back to GraphQL, and keeps a reader that has a default value', () => {
    const built = schema();
    const fields = (
      built.getType('Plan') as unknown as { getFields(): Record<string, { resolve?: unknown }> }
    ).getFields();
    // What NestJS puts on every field: a reader that falls back on the field's default value.
    const reader = (fallback: unknown) => {
      const rootFieldResolver = (root: Record<string, unknown>) => root.title ?? fallback;
      return rootFieldResolver;
    };
    fields.id!.resolve = reader(undefined);
    fields.title!.resolve = reader('Sans titre');
    const owner = fields.owner!.resolve;
    withPlainFieldReads(built);
    expect(fields.id!.resolve).toBeUndefined();
    expect(fields.title!.resolve).toBeDefined();
    expect(fields.owner!.resolve).toBe(owner);
  });
});

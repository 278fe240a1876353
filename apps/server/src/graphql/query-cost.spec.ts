import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  type GraphQLObjectType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { OPERATION_LIMITS } from './protection.js';
import {
  DEFAULT_FIRST,
  DOCUMENT_WEIGHT,
  FIELD_WEIGHTS,
  LIST_SIZES,
  OMITTED_FIRST,
  queryCost,
  UNDECLARED_LIST_SIZE,
} from './query-cost.js';
import { SCHEMA_FILE } from './schema-file.js';

const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
const LIMIT = OPERATION_LIMITS.maxCost;

function cost(query: string, variables: Record<string, unknown> = {}, operationName?: string): number {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return queryCost(schema, document, { variables, operationName });
}

/** A plan's four lists of entries, about ten fields each, and its validation issues (issue 18). */
const entries = (first: number | string) => `
  milestones(first: ${first}) { edges { node { id position title kind status owner startDate dueDate completedOn dependsOn } } }
  risks(first: ${first}) { edges { node { id title category likelihood impact status owner mitigation score } } }
  checkpoints(first: ${first}) { edges { node { id title framework requirement status evidence milestoneIds approvedBy } } }
  workloads(first: ${first}) { edges { node { id name criticality dataClassification strategy targetOfferId owner wave } } }
  validationIssues { path message }`;

describe('queryCost: the worked examples of docs/api.md', () => {
  it('passes a plan read whole, with every list at 100 or at 500', () => {
    // The plan 1, each connection 1 + 100 rows, the validation issues 100.
    expect(cost(`{ plan(id: "p") { id title ${entries(100)} } }`)).toBe(1 + 4 * (1 + 100) + 100);
    expect(cost(`{ plan(id: "p") { id title ${entries(500)} } }`)).toBe(2_105);
  });

  it('passes a portfolio of 100 plans with their next milestone', () => {
    const query = '{ plans(first: 100) { edges { node { id title nextMilestone { id title dueDate } } } } }';
    // The connection 1, then per plan its row and its next milestone.
    expect(cost(query)).toBe(1 + 100 * (1 + 1));
  });

  it('refuses plans of entries: 100 plans with a full page of milestones each', () => {
    const query = '{ plans(first: 100) { edges { node { milestones(first: 500) { edges { node { id title } } } } } } }';
    expect(cost(query)).toBe(1 + 100 * (1 + 1 + 500));
    expect(cost(query)).toBeGreaterThan(LIMIT);
    expect(cost(query.replace('500', '400'))).toBeLessThanOrEqual(LIMIT);
  });

  it('refuses entries of plans of entries, repeated with aliases', () => {
    const overdue = (alias: string) =>
      `${alias}: overdueMilestones { plan { milestones(first: 500) { edges { node { id title } } } } }`;
    // The portfolio reads every plan (500), then 20 overdue milestones, each with its plan's page.
    const once = cost(`{ portfolio { ${overdue('a')} } }`);
    expect(once).toBe(500 + 1 + 20 * (1 + 1 + 1 + 500));
    expect(cost(`{ portfolio { ${['a', 'b', 'c', 'd', 'e'].map(overdue).join(' ')} } }`)).toBe(500 + 1 + 5 * 20 * 503);
    expect(cost(`{ portfolio { ${['a', 'b', 'c', 'd', 'e'].map(overdue).join(' ')} } }`)).toBeGreaterThan(LIMIT);
  });
});

describe('queryCost: counting', () => {
  it('counts scalars as nothing, objects as one, and an edge with its node as one row', () => {
    expect(cost('{ serverInfo { version } }')).toBe(1);
    expect(cost('{ plans(first: 3) { totalCount pageInfo { hasNextPage } } }')).toBe(1 + 1);
    expect(cost('{ plans(first: 3) { edges { cursor node { id } } } }')).toBe(1 + 3);
    expect(cost('{ plans(first: 3) { edges { node { targetOffer { name } } } } }')).toBe(1 + 3 * 2);
  });

  it('counts a fragment where it is spread, on named and inline fragments alike', () => {
    const inline = cost('{ plans(first: 10) { edges { node { ... on Plan { nextMilestone { id } } } } } }');
    const named = cost(
      '{ plans(first: 10) { edges { node { ...Next } } } a: plan(id: "p") { ...Next } } fragment Next on Plan { nextMilestone { id } }',
    );
    expect(inline).toBe(1 + 10 * 2);
    expect(named).toBe(1 + 10 * 2 + (1 + 1));
  });

  it('counts fields and fragments repeated in one selection once, as GraphQL runs them, and aliases apart', () => {
    const once = cost('{ plans(first: 10) { edges { node { ...M } } } } fragment M on Plan { nextMilestone { id } }');
    const repeated = cost(
      `{ plans(first: 10) { edges { node { ${'...M '.repeat(500)} nextMilestone { title } } } } } fragment M on Plan { nextMilestone { id } }`,
    );
    expect(repeated).toBe(once);
    const aliased = cost('{ a: plans(first: 10) { totalCount } b: plans(first: 10) { totalCount } }');
    expect(aliased).toBe(2);
  });

  it('reads first from the variables, or the default of the list when it is omitted', () => {
    const query = 'query($n: Int) { plans(first: $n) { edges { node { id } } } }';
    expect(cost(query, { n: 7 })).toBe(1 + 7);
    expect(cost(query)).toBe(1 + DEFAULT_FIRST);
    expect(cost('query($n: Int = 9) { plans(first: $n) { edges { node { id } } } }')).toBe(1 + 9);
    expect(cost('{ auditEvents { edges { node { seq } } } }')).toBe(1 + 50);
    // Defaults the schema states: 30 notifications, 50 comment threads.
    expect(cost('{ notifications { id } }')).toBe(30);
    expect(cost('{ plan(id: "p") { commentThreads { id } } }')).toBe(1 + DOCUMENT_WEIGHT + 50);
  });

  it('counts the operation asked for, without what @skip or @include leave out', () => {
    const document = 'query A { plans(first: 5) { totalCount } } query B { plans(first: 5) { edges { node { id } } } }';
    expect(cost(document, {}, 'A')).toBe(1);
    expect(cost(document, {}, 'B')).toBe(6);
    const conditional = 'query($all: Boolean!) { plans(first: 5) { edges @include(if: $all) { node { id } } } }';
    expect(cost(conditional, { all: false })).toBe(1);
    expect(cost(conditional, { all: true })).toBe(6);
  });

  it('counts lists without first at their declared size, and the heavier reads at their weight', () => {
    expect(cost('{ plan(id: "p") { members { user { id } } } }')).toBe(1 + LIST_SIZES['Plan.members']! * 2);
    expect(cost('{ portfolio { topRisks { risk { id } } } }')).toBe(FIELD_WEIGHTS['Query.portfolio']! + 1 + 10 * 2);
    expect(cost('{ plan(id: "p") { runbooks { id } } }')).toBe(1 + DOCUMENT_WEIGHT + LIST_SIZES['Plan.runbooks']!);
  });

  it('leaves introspection free', () => {
    expect(cost('{ __typename __schema { types { name fields { name args { name } } } } }')).toBe(0);
  });

  it('counts subscriptions and mutations like queries', () => {
    expect(cost('subscription { planChanged(id: "p") { milestones(first: 5) { edges { node { id } } } } }')).toBe(
      1 + 1 + 5,
    );
    expect(cost('mutation { deleteMilestone(planId: "p", id: "m") { risks(first: 2) { totalCount } } }')).toBe(2);
  });
});

describe('queryCost: the model against the schema', () => {
  const fields = Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field })));
  const coordinate = ({ type, field }: (typeof fields)[number]) => `${type.name}.${field.name}`;
  const paged = fields.filter(({ field }) => field.args.some((argument) => argument.name === 'first'));
  const unpagedLists = fields.filter(
    ({ field, type }) =>
      !field.args.some((argument) => argument.name === 'first') &&
      isListType(getNullableType(field.type)) &&
      isObjectType(getNamedType(field.type)) &&
      !type.name.endsWith('Connection'),
  );

  it(`bounds every list of objects without first (else it counts ${UNDECLARED_LIST_SIZE})`, () => {
    expect(unpagedLists.map(coordinate).filter((name) => LIST_SIZES[name] === undefined)).toEqual([]);
    const known = new Set(fields.map(coordinate));
    expect(
      Object.keys({ ...LIST_SIZES, ...FIELD_WEIGHTS, ...OMITTED_FIRST }).filter((name) => !known.has(name)),
    ).toEqual([]);
  });

  it('takes the default of first each list states ("N when omitted")', () => {
    const stated = paged.flatMap((found) => {
      const description = found.field.args.find((argument) => argument.name === 'first')?.description ?? '';
      const omitted = /(\d+) when omitted/.exec(description)?.[1];
      return omitted === undefined ? [] : [{ field: coordinate(found), omitted: Number(omitted) }];
    });
    expect(stated.length).toBeGreaterThanOrEqual(5);
    expect(stated).toEqual(stated.map(({ field }) => ({ field, omitted: OMITTED_FIRST[field] ?? DEFAULT_FIRST })));
  });
});

/** Every operation the web client sends: its template and string literals that are GraphQL operations. */
function webClientOperations(): { file: string; source: string }[] {
  const root = fileURLToPath(new URL('../../../web/src', import.meta.url));
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return files(path);
      return /\.tsx?$/.test(name) ? [path] : [];
    });
  return files(root).flatMap((file) =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /`\s*((?:query|mutation|subscription|\{)[^`]*)`|'((?:query|mutation|subscription|\{)[^']*)'/g,
      ),
    ]
      .map((match) => ({ file, source: match[1] ?? match[2] ?? '' }))
      .filter(({ source }) => {
        try {
          const document = parse(source);
          return (
            document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION) &&
            validate(schema, document).length === 0
          );
        } catch {
          return false;
        }
      }),
  );
}

describe("queryCost: the web client's own operations", () => {
  const operations = webClientOperations();

  it('finds them (the dashboard, the plan editor, the runbooks, the administration...)', () => {
    expect(operations.length).toBeGreaterThan(30);
    const names = operations.flatMap(({ source }) =>
      parse(source).definitions.flatMap((definition) => (definition as OperationDefinitionNode).name?.value ?? []),
    );
    expect(names).toEqual(expect.arrayContaining(['Portfolio', 'Plans', 'PlanForEditor', 'RunbookPeople', 'Sharing']));
  });

  it('keeps each within the limit', () => {
    const over = operations
      .map(({ file, source }) => ({ file, source, cost: queryCost(schema, parse(source)) }))
      .filter((operation) => operation.cost > LIMIT);
    expect(over).toEqual([]);
  });
});

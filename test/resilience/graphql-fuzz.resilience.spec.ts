import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { PlanDocumentService } from '../../apps/server/src/collab/plan-document.service.js';
import { ProjectionService } from '../../apps/server/src/projection/projection.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createPlan } from '../support/collab.js';
import { graphqlAs, type SignedUp, signUp } from '../support/identity.js';

/** Generated mutations per run: a few hundred in `npm test`, more with BASCULE_GRAPHQL_FUZZ_RUNS. */
const RUNS = Number(process.env.BASCULE_GRAPHQL_FUZZ_RUNS ?? 300);
// The test's time grows with its runs: the long form's too (jest's --testTimeout would not
// override a time given to the test itself).
jest.setTimeout(Math.max(240_000, RUNS * 800));

/** Codes a refusal may carry: each says what is wrong. An INTERNAL_SERVER_ERROR never may. */
const EXPLAINED = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT']);

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '=cmd|calc',
    '<script>alert(1)</script>',
    '2027-02-30',
    '9999-99-99',
    'x'.repeat(5000),
  ),
);
const date = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  text,
);
const int = fc.oneof(fc.integer({ min: -10, max: 10 }), fc.constantFrom(0, 2 ** 31 - 1, -(2 ** 31)));
const ids = fc.array(fc.oneof(fc.uuid(), text), { maxLength: 4 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const oneOf = (...values: string[]) => fc.constantFrom(...values);

/** Each mutation with inputs of the right GraphQL types and any values at all. */
const cases = fc.oneof(
  fc.record({
    mutation: fc.constant('createMilestone(planId: $p, input: $i) { id }'),
    type: fc.constant('MilestoneInput!'),
    input: fc.record({
      title: text,
      startDate: maybe(date),
      dueDate: maybe(date),
      completedOn: maybe(date),
      owner: maybe(text),
      dependsOn: maybe(ids),
      kind: maybe(oneOf('ASSESSMENT', 'CUTOVER', 'PILOT', 'WAVE', 'OTHER')),
      status: maybe(oneOf('BLOCKED', 'DONE', 'IN_PROGRESS', 'NOT_STARTED')),
    }),
  }),
  fc.record({
    mutation: fc.constant('createRisk(planId: $p, input: $i) { id }'),
    type: fc.constant('RiskInput!'),
    input: fc.record({
      title: text,
      likelihood: maybe(int),
      impact: maybe(int),
      mitigation: maybe(text),
      owner: maybe(text),
      category: maybe(oneOf('COST', 'DOWNTIME', 'EXTRATERRITORIAL_LAW', 'LOCK_IN', 'OTHER')),
      status: maybe(oneOf('ACCEPTED', 'CLOSED', 'MITIGATING', 'OPEN')),
    }),
  }),
  fc.record({
    mutation: fc.constant('createWorkload(planId: $p, input: $i) { id }'),
    type: fc.constant('WorkloadInput!'),
    input: fc.record({
      name: text,
      wave: maybe(int),
      dependsOn: maybe(ids),
      owner: maybe(text),
      targetOfferId: maybe(text),
      criticality: maybe(oneOf('CRITICAL', 'HIGH', 'LOW', 'MEDIUM')),
      dataClassification: maybe(oneOf('HEALTH', 'INTERNAL', 'PUBLIC', 'SENSITIVE')),
      strategy: maybe(oneOf('REFACTOR', 'REHOST', 'RETIRE')),
    }),
  }),
  fc.record({
    mutation: fc.constant('createCheckpoint(planId: $p, input: $i) { id }'),
    type: fc.constant('CheckpointInput!'),
    input: fc.record({
      title: text,
      framework: fc.oneof(text, oneOf('SECNUMCLOUD', 'HDS', 'GDPR')),
      requirement: maybe(text),
      evidence: maybe(fc.array(text, { maxLength: 3 })),
      justification: maybe(text),
      milestoneIds: maybe(ids),
      status: maybe(oneOf('FAILED', 'IN_REVIEW', 'PASSED', 'TODO', 'WAIVED')),
    }),
  }),
  fc.record({
    mutation: fc.constant('importInventory(planId: $p, csv: $i) { created }'),
    type: fc.constant('String!'),
    input: fc.oneof(
      text,
      fc
        .array(fc.array(text, { maxLength: 6 }), { maxLength: 5 })
        .map((rows) => ['Nom;Criticité;Dépendances', ...rows.map((row) => row.join(';'))].join('\n')),
    ),
  }),
);

describe('resilience: generated GraphQL mutations', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let planId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Fuzz');
  });

  afterAll(() => testApp.close());

  it(`${RUNS} mutations with any values: each is done or refused with a reason, and the plan stays valid`, async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(cases, async ({ mutation, type, input }) => {
        const response = await graphqlAs(
          testApp.baseUrl,
          owner.tokens.accessToken,
          `mutation($p: ID!, $i: ${type}) { ${mutation} }`,
          { p: planId, i: input },
        );
        const code = response.errors?.[0]?.extensions?.code ?? (response.data === undefined ? 'NO DATA' : 'done');
        outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
        if (code !== 'done') {
          expect({ code, explained: EXPLAINED.has(code) }).toEqual({ code, explained: true });
          expect(response.errors![0]!.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS, seed: 20261203 },
    );
    // Both kinds happened, and the plan still reads, every part of it.
    expect(outcomes.get('done')).toBeGreaterThan(0);
    expect(outcomes.get('BAD_USER_INPUT')).toBeGreaterThan(0);
    const plan = await graphqlAs<{ plan: { title: string } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      `query($p: ID!) { plan(id: $p) { title
        milestones { totalCount } risks { totalCount } checkpoints { totalCount } workloads { totalCount } } }`,
      { p: planId },
    );
    expect(plan.errors).toBeUndefined();
    expect(plan.data!.plan.title).toBe('Fuzz');
    // The read model caught up with the document, whatever text went in.
    await testApp.app.get(ProjectionService).idle();
    const doc = await testApp.app.get(PlanDocumentService).read(planId);
    const counts = await graphqlAs<{ plan: Record<string, { totalCount: number }> }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'query($p: ID!) { plan(id: $p) { milestones { totalCount } risks { totalCount } workloads { totalCount } } }',
      { p: planId },
    );
    for (const part of ['milestones', 'risks', 'workloads'])
      expect({ part, count: counts.data!.plan[part]!.totalCount }).toEqual({
        part,
        count: doc.getMap(part).size,
      });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan, eventually } from '../../../../test/support/collab.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { WebhookDeliveryEntity, type WebhookEvent } from '../webhooks/webhook.entities.js';
import { RunbookLateness } from './runbook-lateness.js';

interface Delivered {
  readonly type: string;
  readonly planId: string;
  readonly data: Record<string, unknown>;
}

/**
 * The runbook webhooks, as the outbox holds them: a task late (from the clock, once per episode),
 * a task failed, a go / no-go decided, each with what a receiver needs to act.
 */
describe('runbook webhooks', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let planId: string;

  const as = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlAs<T>(testApp.baseUrl, owner.tokens.accessToken, query, { p: planId, ...variables });
  const ok = async <T>(response: Promise<{ data?: T | null; errors?: unknown }>): Promise<T> => {
    const { data, errors } = await response;
    expect(errors).toBeUndefined();
    return data as T;
  };
  const delivered = async (type: WebhookEvent): Promise<Delivered[]> =>
    (await testApp.app.get(DataSource).getRepository(WebhookDeliveryEntity).findBy({ event: type }))
      .map((delivery) => JSON.parse(delivery.payload) as Delivered)
      .filter((event) => event.planId === planId);

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl, { displayName: 'Claire Lemoine' });
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Base patients vers Outscale');
    await ok(
      graphqlAs(
        testApp.baseUrl,
        owner.tokens.accessToken,
        'mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }',
        {
          i: {
            url: 'https://receiver.example/hooks',
            events: ['runbook.task.late', 'runbook.task.failed', 'runbook.decision'],
          },
        },
      ),
    );
  });

  afterAll(() => testApp.close());

  it('tells of a late task once per episode, a failed task with its reason, and a decision with its votes', async () => {
    // T0 two hours ago: the freeze (30 minutes from T0) should have started long ago.
    const t0 = new Date(Date.now() - 120 * 60_000).toISOString();
    const { createRunbook } = await ok(
      as<{ createRunbook: { id: string } }>(
        'mutation($p: ID!, $t0: DateTime) { createRunbook(planId: $p, input: { title: "Nuit de bascule", t0: $t0 }) { id } }',
        { t0 },
      ),
    );
    const task = async (input: Record<string, unknown>) =>
      (
        await ok(
          as<{ createRunbookTask: { id: string } }>(
            'mutation($p: ID!, $r: ID!, $i: RunbookTaskInput!) { createRunbookTask(planId: $p, runbookId: $r, input: $i) { id } }',
            { r: createRunbook.id, i: input },
          ),
        )
      ).createRunbookTask.id;
    const freeze = await task({ title: 'Geler les écritures', stage: 'FREEZE', startOffset: 0, duration: 30 });
    const go = await task({ title: 'Go / no-go copie', kind: 'DECISION', stage: 'BACKUP', dependsOn: [freeze] });
    await ok(as('mutation($p: ID!, $r: ID!) { startRunbook(planId: $p, id: $r) { id } }', { r: createRunbook.id }));

    const lateness = testApp.app.get(RunbookLateness);
    await lateness.round();
    await lateness.round();
    const late = await delivered('runbook.task.late');
    expect(late).toHaveLength(1);
    expect(late[0]!.data).toMatchObject({
      runbookId: createRunbook.id,
      runbookTitle: 'Nuit de bascule',
      taskId: freeze,
      title: 'Geler les écritures',
      stage: 'FREEZE',
      status: 'PENDING',
      plannedStart: t0,
    });
    expect(late[0]!.data.lateMinutes).toBeGreaterThanOrEqual(119);

    // Started now, it runs past its planned end (T0 + 30): late again, as a new episode, once.
    await ok(as('mutation($p: ID!, $t: ID!) { startTask(planId: $p, id: $t) { id } }', { t: freeze }));
    await lateness.round();
    await lateness.round();
    expect((await delivered('runbook.task.late')).map((event) => event.data.status)).toEqual(['PENDING', 'RUNNING']);

    await ok(
      as('mutation($p: ID!, $t: ID!) { failTask(planId: $p, id: $t, reason: "Verrou non posé") { id } }', {
        t: freeze,
      }),
    );
    await eventually(async () =>
      expect((await delivered('runbook.task.failed')).map((event) => event.data)).toEqual([
        expect.objectContaining({ taskId: freeze, reason: 'Verrou non posé', by: 'Claire Lemoine', stage: 'FREEZE' }),
      ]),
    );
    // A failed task is not late any more.
    await lateness.round();
    expect(await delivered('runbook.task.late')).toHaveLength(2);

    await ok(
      as('mutation($p: ID!, $t: ID!) { skipTask(planId: $p, id: $t, reason: "Fait à la main") { id } }', { t: freeze }),
    );
    await ok(
      as(
        'mutation($p: ID!, $t: ID!) { vote(planId: $p, taskId: $t, vote: NO_GO, comment: "Sauvegarde incomplète") { id } }',
        {
          t: go,
        },
      ),
    );
    await eventually(async () =>
      expect((await delivered('runbook.decision')).map((event) => event.data)).toEqual([
        expect.objectContaining({
          taskId: go,
          decision: 'NO_GO',
          votes: [
            expect.objectContaining({ voter: 'Claire Lemoine', vote: 'NO_GO', comment: 'Sauvegarde incomplète' }),
          ],
        }),
      ]),
    );
  });
});

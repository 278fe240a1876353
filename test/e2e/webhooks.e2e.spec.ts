import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { createPlan, eventually } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { addMember, graphqlAs, type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number;
}

describe(`webhooks: signed deliveries from the outbox, retried across a restart (${suiteDialect()})`, () => {
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;
  let receiver: Server;
  let receiverUrl: string;
  let secret: string;
  let endpointId: string;
  /** What the receiver answers; 503 makes Bascule retry. */
  let answer = 204;
  const received: Received[] = [];

  const as = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(server.baseUrl, owner.tokens.accessToken, query, variables);
  const events = (type: string) =>
    received
      .filter((request) => request.answered === 204)
      .map(
        (request) =>
          JSON.parse(request.body) as { id: string; type: string; planId: string; data: Record<string, unknown> },
      )
      .filter((event) => event.type === type);

  /** The Standard Webhooks headers of a delivery, as a receiver's library takes them. */
  const headersOf = (request: Received) => ({
    'webhook-id': request.headers['webhook-id'] as string,
    'webhook-timestamp': request.headers['webhook-timestamp'] as string,
    'webhook-signature': request.headers['webhook-signature'] as string,
  });
  /**
   * Checks a delivery as a receiver does, with the Standard Webhooks library and the secret as shown
   * (it also refuses a timestamp more than five minutes off); the event id is the webhook-id.
   */
  const expectSigned = (request: Received, by: string = secret) => {
    const event = new Webhook(by).verify(request.body, headersOf(request)) as { id: string };
    expect(event.id).toBe(request.headers['webhook-id']);
  };

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body, answered: answer });
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    environment = await serverEnvironment({ BASCULE_WEBHOOK_RETRY_BASE_MS: '300' });
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
    const created = await as<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(
      'mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } secret } }',
      {
        i: { url: receiverUrl, events: ['plan.changed', 'milestone.slipped', 'risk.critical', 'checkpoint.approved'] },
      },
    );
    expect(created.errors).toBeUndefined();
    secret = created.data!.createWebhookEndpoint.secret;
    endpointId = created.data!.createWebhookEndpoint.endpoint.id;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => receiver.close(resolve));
    await environment?.drop();
  });

  it('tells the receiver about critical risks, slips, approvals and changes, each signed', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Webhooks');
    const risk = await as(
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Panne DNS", likelihood: 5, impact: 4 }) { id } }',
      {
        p: planId,
      },
    );
    expect(risk.errors).toBeUndefined();
    const milestone = await as<{ createMilestone: { id: string } }>(
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Bascule", dueDate: "2027-04-16" }) { id } }',
      { p: planId },
    );
    const milestoneId = milestone.data!.createMilestone.id;
    await as(
      'mutation($p: ID!, $m: ID!) { updateMilestone(planId: $p, id: $m, input: { dueDate: "2027-05-07" }) { id } }',
      {
        p: planId,
        m: milestoneId,
      },
    );
    await as(
      'mutation($p: ID!) { createCheckpoint(planId: $p, input: { title: "AIPD", framework: "GDPR", status: PASSED }) { id } }',
      {
        p: planId,
      },
    );
    await eventually(
      () => {
        expect(events('risk.critical').map((event) => event.data)).toEqual([
          expect.objectContaining({ title: 'Panne DNS', score: 20 }),
        ]);
        expect(events('milestone.slipped').map((event) => event.data)).toEqual([
          expect.objectContaining({ milestoneId, from: '2027-04-16', to: '2027-05-07' }),
        ]);
        expect(events('checkpoint.approved').map((event) => event.data)).toEqual([
          expect.objectContaining({ title: 'AIPD', status: 'PASSED' }),
        ]);
        expect(events('plan.changed').some((event) => event.planId === planId)).toBe(true);
      },
      15_000,
      100,
    );
    for (const request of received) expectSigned(request);
  }, 30_000);

  it('keeps retrying a failing receiver, through kill -9 and a restart, until it takes the delivery', async () => {
    answer = 503;
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Retries');
    const milestone = await as<{ createMilestone: { id: string } }>(
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Pilote", dueDate: "2027-02-01" }) { id } }',
      { p: planId },
    );
    await as(
      'mutation($p: ID!, $m: ID!) { updateMilestone(planId: $p, id: $m, input: { dueDate: "2027-02-15" }) { id } }',
      {
        p: planId,
        m: milestone.data!.createMilestone.id,
      },
    );
    type Delivery = { id: string; event: string; status: string; attempts: number; lastStatus: number | null };
    const deliveries = async () =>
      (
        await as<{ webhookDeliveries: Delivery[] }>(
          'query($e: ID!) { webhookDeliveries(endpointId: $e, first: 200) { id event status attempts lastStatus } }',
          { e: endpointId },
        )
      ).data!.webhookDeliveries;
    const slipped = await eventually(
      async () => {
        const failing = (await deliveries()).find(
          (delivery) =>
            delivery.event === 'milestone.slipped' && delivery.status === 'PENDING' && delivery.attempts >= 1,
        );
        expect(failing?.lastStatus).toBe(503);
        return failing!;
      },
      15_000,
      100,
    );
    await server.stop('SIGKILL');
    answer = 204;
    server = await startServer(environment.env);
    await eventually(
      async () => {
        const after = (await deliveries()).find((delivery) => delivery.id === slipped.id);
        expect(after?.status).toBe('DELIVERED');
        expect(after!.attempts).toBeGreaterThan(slipped.attempts);
      },
      20_000,
      200,
    );
    const taken = received.filter((request) => request.headers['webhook-id'] === slipped.id);
    expect(taken.map((request) => request.answered)).toContain(204);
    expect(taken.filter((request) => request.answered === 204)).toHaveLength(1);
    // Signed by the restarted server as by the first: the secret is the endpoint's, kept in the database.
    for (const request of taken) expectSigned(request);
  }, 60_000);

  it('records a change, and the deliveries and notifications it leads to, when the server dies before writing them', async () => {
    answer = 204;
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Crash');
    // The milestone's owner, told of its slip.
    const member = await addMember(server.baseUrl, owner.tokens.accessToken);
    await as('mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }', {
      p: planId,
      u: member.userId,
    });
    const milestone = await as<{ createMilestone: { id: string } }>(
      'mutation($p: ID!, $u: ID!) { createMilestone(planId: $p, input: { title: "Recette", dueDate: "2027-03-01", ownerId: $u }) { id } }',
      { p: planId, u: member.userId },
    );
    const milestoneId = milestone.data!.createMilestone.id;
    await eventually(() => expect(events('plan.changed').some((event) => event.planId === planId)).toBe(true), 15_000);
    // The log writes a second after the first record it holds: what the set-up's follow-ups (the
    // plan's upkeep) queued is written by then, and the slip below starts a second of its own.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Stored and acknowledged; the trail and the outbox get it within the second: kill -9 first.
    const slip = await as(
      'mutation($p: ID!, $m: ID!) { updateMilestone(planId: $p, id: $m, input: { dueDate: "2027-03-22" }) { id } }',
      { p: planId, m: milestoneId },
    );
    expect(slip.errors).toBeUndefined();
    await server.stop('SIGKILL');
    // Alone (no Redis), the new process knows whatever was stored before it started has no writer left.
    server = await startServer({ ...environment.env, REDIS_URL: undefined });

    await eventually(
      () =>
        expect(events('milestone.slipped').map((event) => event.data)).toContainEqual(
          expect.objectContaining({ milestoneId, from: '2027-03-01', to: '2027-03-22' }),
        ),
      20_000,
      200,
    );
    expect(server.logLines().some((line) => line.msg === 'changes left unrecorded by a crash recorded')).toBe(true);
    const told = await graphqlAs<{ notifications: { kind: string; entryId: string; dueDate: string }[] }>(
      server.baseUrl,
      member.tokens.accessToken,
      '{ notifications(first: 20) { kind entryId dueDate } }',
    );
    expect(told.data!.notifications).toContainEqual({
      kind: 'MILESTONE_SLIPPED',
      entryId: milestoneId,
      dueDate: '2027-03-22',
    });
    const trail = await as<{
      auditEvents: {
        edges: {
          node: { action: string; field: string | null; before: string; after: string; actor: { id: string } };
        }[];
      };
    }>(
      'query($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { edges { node { action field before after actor { id } } } } }',
      { f: { planId } },
    );
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.auditEvents.edges.map((edge) => edge.node)).toContainEqual({
      action: 'updated',
      field: 'dueDate',
      before: '"2027-03-01"',
      after: '"2027-03-22"',
      actor: { id: owner.userId },
    });
  }, 60_000);

  it('rotates a secret: both sign during the grace period, then only the new one', async () => {
    answer = 204;
    const rotate = (graceHours: number) =>
      as<{ rotateWebhookSecret: { secret: string; endpoint: { previousSecretExpiresAt: string | null } } }>(
        'mutation($id: ID!, $g: Int!) { rotateWebhookSecret(id: $id, graceHours: $g) { secret endpoint { previousSecretExpiresAt } } }',
        { id: endpointId, g: graceHours },
      );
    const deliveryAfter = async (title: string) => {
      const before = received.length;
      const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, title);
      await as(
        'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Rotation", likelihood: 5, impact: 5 }) { id } }',
        {
          p: planId,
        },
      );
      return eventually(
        () => {
          const found = received
            .slice(before)
            .find((request) => (JSON.parse(request.body) as { planId: string }).planId === planId);
          expect(found).toBeDefined();
          return found!;
        },
        15_000,
        100,
      );
    };
    const old = secret;
    const rotated = await rotate(24);
    expect(rotated.errors).toBeUndefined();
    const fresh = rotated.data!.rotateWebhookSecret.secret;
    expect(Date.parse(rotated.data!.rotateWebhookSecret.endpoint.previousSecretExpiresAt!)).toBeGreaterThan(
      Date.now() + 23 * 3_600_000,
    );
    const during = await deliveryAfter('Rotation en cours');
    expectSigned(during, fresh);
    expectSigned(during, old);

    const stopped = await rotate(0);
    const newest = stopped.data!.rotateWebhookSecret.secret;
    expect(stopped.data!.rotateWebhookSecret.endpoint.previousSecretExpiresAt).toBeNull();
    const after = await deliveryAfter('Rotation finie');
    expectSigned(after, newest);
    expect(() => new Webhook(fresh).verify(after.body, headersOf(after))).toThrow(WebhookVerificationError);
    secret = newest;
    expect((await rotate(1000)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectClient, createPlan, eventually, followAcknowledgements, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { type SignedUp, signUp } from '../support/identity.js';
import { Relay } from '../support/relay.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

const describeOnPostgres = suiteDialect() === 'postgres' ? describe : describe.skip;

describeOnPostgres('resilience: PostgreSQL goes away and comes back while a client writes', () => {
  let environment: ServerEnvironment;
  let relay: Relay;
  let server: ServerProcess;
  let owner: SignedUp;

  beforeAll(async () => {
    environment = await serverEnvironment({}, { redis: false });
    const direct = new URL(environment.databaseUrl);
    // The database "restarts" for this server alone: the PostgreSQL the suite shares is untouched.
    relay = new Relay([{ host: direct.hostname, port: Number(direct.port || 5432) }]);
    const relayed = new URL(environment.databaseUrl);
    relayed.port = String(await relay.listen());
    server = await startServer({ ...environment.env, DATABASE_URL: relayed.toString() });
    owner = await signUp(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await relay?.close();
    await environment?.drop();
  });

  it('acknowledges nothing while the database is down, then stores it all within 10 s of its return', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Panne de base');
    const writer = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
    const acks = followAcknowledgements(writer);
    const clock = acks.clock;
    const ready = () => fetch(`${server.baseUrl}/health/ready`).then((response) => response.status);
    try {
      await synced(writer);
      writer.doc.getArray<string>('load').push(['before']);
      await eventually(() => expect(acks.acked).toBe(clock()));

      relay.cut();
      const ackedAtCut = acks.acked;
      for (let index = 0; index < 20; index += 1) {
        writer.doc.getArray<string>('load').push([`during ${index}`]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await eventually(async () => expect(await ready()).toBe(503), 10_000, 200);
      expect(acks.acked).toBe(ackedAtCut);

      relay.restore();
      const restoredAt = Date.now();
      await eventually(() => expect(acks.acked).toBe(clock()), 10_000, 50);
      expect(Date.now() - restoredAt).toBeLessThan(10_000);
      await eventually(async () => expect(await ready()).toBe(200), 10_000, 200);

      // A new client gets it all from the server.
      const reader = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
      try {
        await synced(reader);
        expect(reader.doc.getArray<string>('load').toArray()).toEqual([
          'before',
          ...Array.from({ length: 20 }, (_, index) => `during ${index}`),
        ]);
      } finally {
        reader.destroy();
      }
    } finally {
      writer.destroy();
    }
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

/** A short soak in `npm test`; `npm run test:resilience` runs 1,000 connections over 100 plans for 5 minutes. */
const CONNECTIONS = Number(process.env.BASCULE_SOAK_CONNECTIONS ?? 200);
const PLANS = Number(process.env.BASCULE_SOAK_PLANS ?? 20);
const SECONDS = Number(process.env.BASCULE_SOAK_SECONDS ?? 24);

/** One sample of a Prometheus text scrape. */
const sampleOf = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe(`resilience: ${CONNECTIONS} connections over ${PLANS} plans for ${SECONDS} s (${suiteDialect()})`, () => {
  let environment: ServerEnvironment;
  let server: ServerProcess;
  let owner: SignedUp;
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    environment = await serverEnvironment(
      { BASCULE_COLLAB_CONNECTIONS_PER_USER: String(CONNECTIONS + 10) },
      { redis: false },
    );
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await environment?.drop();
  });

  it(
    'keeps serving every client, with memory flat once warm',
    async () => {
      const plans: string[] = [];
      for (let index = 0; index < PLANS; index += 1)
        plans.push(await createPlan(server.baseUrl, owner.tokens.accessToken, `Soak ${index}`));
      for (let index = 0; index < CONNECTIONS; index += 1) {
        clients.push(connectClient(server.baseUrl, plans[index % PLANS]!, owner.tokens.accessToken));
        if (index % 50 === 49) await Promise.all(clients.slice(-50).map((client) => synced(client, 30_000)));
      }
      await Promise.all(clients.map((client) => synced(client, 30_000)));

      // A tenth of the clients write each second; memory is sampled every two seconds.
      const memory: { rss: number; heap: number }[] = [];
      const started = Date.now();
      let round = 0;
      while (Date.now() - started < SECONDS * 1000) {
        for (let index = round % 10; index < clients.length; index += 10)
          clients[index]!.doc.getArray<string>('soak').push([`${index}-${round}`]);
        round += 1;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (round % 2 === 0) {
          const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
          memory.push({
            rss: sampleOf(text, 'bascule_process_resident_memory_bytes'),
            heap: sampleOf(text, 'bascule_nodejs_heap_size_used_bytes'),
          });
        }
      }
      // Every client still connected, and each plan's clients agree on what was written.
      expect(clients.filter((client) => !client.provider.wsconnected)).toEqual([]);
      for (const planId of plans) {
        const same = clients.filter((client) => client.provider.roomname === planId);
        await eventually(
          () => {
            const lengths = new Set(same.map((client) => client.doc.getArray('soak').length));
            expect(lengths.size).toBe(1);
          },
          20_000,
          100,
        );
      }
      // Flat once warm: the last third's median within a quarter of the middle third's.
      const third = Math.floor(memory.length / 3);
      expect(third).toBeGreaterThanOrEqual(2);
      for (const measure of ['rss', 'heap'] as const) {
        const middle = median(memory.slice(third, 2 * third).map((sample) => sample[measure]));
        const last = median(memory.slice(2 * third).map((sample) => sample[measure]));
        expect({ measure, middle, last, flat: last / middle < 1.25 }).toEqual({ measure, middle, last, flat: true });
      }
      process.stdout.write(
        `soak: ${CONNECTIONS} connections, ${PLANS} plans, ${round} rounds; RSS MiB ${memory.map((sample) => Math.round(sample.rss / 2 ** 20)).join(' ')}\n`,
      );
    },
    (SECONDS + 180) * 1000,
  );
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as Y from 'yjs';
import {
  type CollabClient,
  connectClient,
  createPlan,
  eventually,
  followAcknowledgements,
  synced,
} from '../support/collab.js';
import { queryDatabase, serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { freePort } from '../support/http.js';
import { type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

/** Rounds of kill -9 and restart: a few in `npm test`, more with `npm run test:resilience`. */
const ROUNDS = Number(process.env.BASCULE_RESILIENCE_ROUNDS ?? 3);
// The test's time grows with its rounds: the long form's too (jest's --testTimeout would not
// override a time given to the test itself).
jest.setTimeout(Math.max(180_000, ROUNDS * 60_000));
/** How long the clients write between two kills (ms), at most. */
const ROUND_MS = 1500;

/** A stock y-websocket client that writes steadily and follows the server's durable acknowledgements. */
interface Writer {
  readonly name: string;
  readonly planId: string;
  readonly client: CollabClient;
  /** Every entry it wrote, with its own clock just after writing it. */
  readonly written: { id: string; clock: number }[];
  readonly acks: ReturnType<typeof followAcknowledgements>;
}

function writerOn(baseUrl: string, planId: string, token: string, name: string): Writer {
  const client = connectClient(baseUrl, planId, token);
  return { name, planId, client, written: [], acks: followAcknowledgements(client) };
}

/** The entries of each plan's `load` array as the database holds them (snapshot + log), read from outside. */
async function storedEntries(url: string, planIds: readonly string[]): Promise<Set<string>> {
  const entries = new Set<string>();
  for (const planId of planIds) {
    const doc = new Y.Doc();
    const snapshots = await queryDatabase(url, `SELECT state FROM plan_snapshots WHERE plan_id = '${planId}'`);
    const updates = await queryDatabase(url, `SELECT data FROM plan_updates WHERE plan_id = '${planId}' ORDER BY id`);
    for (const row of snapshots) Y.applyUpdate(doc, new Uint8Array(row.state as Buffer));
    for (const row of updates) Y.applyUpdate(doc, new Uint8Array(row.data as Buffer));
    for (const entry of doc.getArray<string>('load').toArray()) entries.add(entry);
    doc.destroy();
  }
  return entries;
}

describe(`resilience: kill -9 of the server while clients write (${suiteDialect()})`, () => {
  let environment: ServerEnvironment;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;
  let owner: SignedUp;
  const writers: Writer[] = [];

  beforeAll(async () => {
    // A fixed port, so that the clients' own reconnection finds the restarted server.
    environment = await serverEnvironment({ PORT: String(await freePort()) });
    // DATABASE_URL set on SQLite too, as before: the data folder's bascule.sqlite.
    env = { ...environment.env, DATABASE_URL: environment.databaseUrl };
    server = await startServer(env);
    owner = await signUp(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    for (const writer of writers) writer.client.destroy();
    await server?.stop();
    await environment?.drop();
  });

  it(`loses no acknowledged update through ${ROUNDS} kills and restarts, and converges after`, async () => {
    const plans = [
      await createPlan(server.baseUrl, owner.tokens.accessToken, 'Charge A'),
      await createPlan(server.baseUrl, owner.tokens.accessToken, 'Charge B'),
    ];
    for (const [index, planId] of [...plans, ...plans].entries())
      writers.push(writerOn(server.baseUrl, planId, owner.tokens.accessToken, `w${index}`));
    await Promise.all(writers.map((writer) => synced(writer.client)));
    // Each writer appends an entry every 20 ms to its plan, whatever the state of the server.
    let sequence = 0;
    const writing = setInterval(() => {
      for (const writer of writers) {
        const id = `${writer.name}-${(sequence += 1)}`;
        writer.client.doc.getArray<string>('load').push([id]);
        writer.written.push({ id, clock: Y.getState(writer.client.doc.store, writer.client.doc.clientID) });
      }
    }, 20);

    const ackedEach: number[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round += 1) {
        // Every client back and acknowledged again (their own reconnection, backing off up to 2.5 s),
        // then a kill at a random moment of their writing.
        const before = writers.map((writer) => writer.written.length);
        await eventually(
          () =>
            writers.forEach((writer, index) =>
              expect(writer.written.filter((entry) => entry.clock <= writer.acks.acked).length).toBeGreaterThan(
                before[index]!,
              ),
            ),
          20_000,
          50,
        );
        await new Promise((resolve) => setTimeout(resolve, ROUND_MS * Math.random()));
        await server.stop('SIGKILL');
        // Acknowledged up to the kill: all of it must be in the database, read before anything restarts.
        const acked = writers.flatMap((writer) =>
          writer.written.filter((entry) => entry.clock <= writer.acks.acked).map((entry) => entry.id),
        );
        const stored = await storedEntries(environment.databaseUrl, plans);
        expect({ round, lost: acked.filter((id) => !stored.has(id)) }).toEqual({ round, lost: [] });
        ackedEach.push(acked.length);
        server = await startServer(env);
      }
    } finally {
      clearInterval(writing);
    }
    // Writing went on across the rounds (the clients reconnected each time and were acknowledged).
    for (let round = 1; round < ackedEach.length; round += 1)
      expect(ackedEach[round]!).toBeGreaterThan(ackedEach[round - 1]!);

    // Once the clients are back, everything they wrote (acknowledged or not) is stored: nothing lost.
    await eventually(
      () => {
        for (const writer of writers)
          expect({ writer: writer.name, acked: writer.acks.acked >= writer.written.at(-1)!.clock }).toEqual({
            writer: writer.name,
            acked: true,
          });
      },
      30_000,
      100,
    );
    const stored = await storedEntries(environment.databaseUrl, plans);
    const written = writers.flatMap((writer) => writer.written.map((entry) => entry.id));
    expect(written.filter((id) => !stored.has(id))).toEqual([]);
    // And a new client sees the same.
    const reader = connectClient(server.baseUrl, plans[0]!, owner.tokens.accessToken);
    try {
      await synced(reader);
      const seen = new Set(reader.doc.getArray<string>('load').toArray());
      for (const writer of writers.filter((candidate) => candidate.planId === plans[0]))
        expect(writer.written.filter((entry) => !seen.has(entry.id))).toEqual([]);
    } finally {
      reader.destroy();
    }
  });
});

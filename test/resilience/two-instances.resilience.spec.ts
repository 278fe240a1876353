import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CollabClient,
  connectClient,
  createPlan,
  eventually,
  followAcknowledgements,
  synced,
} from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { freePort } from '../support/http.js';
import { type SignedUp, signUp } from '../support/identity.js';
import { Relay } from '../support/relay.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

/** A Redis of this test's own (the suite's shared one is never stopped), on a fixed port. */
class PrivateRedis {
  private child: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }
}

/** A y-websocket client that follows the server's durable acknowledgements of its own updates. */
function ackedClient(baseUrl: string, planId: string, token: string) {
  const client = connectClient(baseUrl, planId, token);
  return { ...client, acks: followAcknowledgements(client) };
}

const entries = (client: CollabClient) => new Set(client.doc.getArray<string>('load').toArray());
const describeOnPostgres = suiteDialect() === 'postgres' ? describe : describe.skip;

describeOnPostgres('resilience: two instances sharing PostgreSQL and Redis', () => {
  let environment: ServerEnvironment;
  let redis: PrivateRedis;
  let relay: Relay;
  let first: ServerProcess;
  let second: ServerProcess;
  let owner: SignedUp;
  let planId: string;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const ports = [await freePort(), await freePort()];
    // The load balancer: every connection to the first instance that accepts, in order.
    relay = new Relay(ports.map((port) => ({ host: '127.0.0.1', port })));
    const relayed = `http://127.0.0.1:${await relay.listen()}`;
    // One public address for both, as behind a real load balancer (tokens name it as their issuer).
    environment = await serverEnvironment({ REDIS_URL: redis.url, BASCULE_PUBLIC_URL: relayed, RELAY: relayed });
    first = await startServer({ ...environment.env, PORT: String(ports[0]) });
    second = await startServer({ ...environment.env, PORT: String(ports[1]) });
    owner = await signUp(relayed);
    planId = await createPlan(first.baseUrl, owner.tokens.accessToken, 'Deux instances');
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await first?.stop('SIGKILL');
    await second?.stop();
    await relay?.close();
    await redis?.kill();
    await environment?.drop();
  });

  it('an instance killed, its clients reconnect to the other and converge, losing nothing acknowledged', async () => {
    const writers = [0, 1].map(() => ackedClient(environment.env.RELAY!, planId, owner.tokens.accessToken));
    const observer = connectClient(second.baseUrl, planId, owner.tokens.accessToken);
    clients.push(...writers, observer);
    await Promise.all([...writers, observer].map((client) => synced(client)));
    const written: string[] = [];
    let sequence = 0;
    const writing = setInterval(() => {
      writers.forEach((writer, index) => {
        const id = `w${index}-${(sequence += 1)}`;
        writer.doc.getArray<string>('load').push([id]);
        written.push(id);
      });
    }, 25);
    try {
      // Through Redis, the observer on the second instance follows what the first one stores.
      await eventually(() => expect(entries(observer).size).toBeGreaterThan(20), 10_000);
      await first.stop('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      clearInterval(writing);
    }
    // The writers come back through the relay to the second instance, send what was not stored,
    // and are acknowledged for all of it; the observer there sees every entry.
    await eventually(
      () => writers.forEach((writer) => expect(writer.acks.acked).toBe(writer.acks.clock())),
      20_000,
      100,
    );
    await eventually(() => expect(written.filter((id) => !entries(observer).has(id))).toEqual([]), 10_000, 100);
  }, 90_000);

  it('Redis stopped and restarted: the instances catch up with what they missed and converge', async () => {
    first = await startServer({ ...environment.env, PORT: new URL(first.baseUrl).port });
    const onFirst = ackedClient(first.baseUrl, planId, owner.tokens.accessToken);
    const onSecond = connectClient(second.baseUrl, planId, owner.tokens.accessToken);
    clients.push(onFirst, onSecond);
    await Promise.all([synced(onFirst), synced(onSecond)]);
    onFirst.doc.getArray<string>('load').push(['before the outage']);
    await eventually(() => expect(entries(onSecond).has('before the outage')).toBe(true), 10_000);

    await redis.kill();
    await eventually(async () => expect((await fetch(`${first.baseUrl}/health/ready`)).status).toBe(503), 10_000, 200);
    // Still stored (the database is up), but nothing carries it to the other instance meanwhile.
    onFirst.doc.getArray<string>('load').push(['during the outage']);
    await eventually(() => expect(onFirst.acks.acked).toBe(onFirst.acks.clock()), 10_000);

    await redis.start();
    const restarted = Date.now();
    await eventually(() => expect(entries(onSecond).has('during the outage')).toBe(true), 15_000, 100);
    expect(Date.now() - restarted).toBeLessThan(15_000);
    onSecond.doc.getArray<string>('load').push(['after the outage']);
    await eventually(() => expect(entries(onFirst).has('after the outage')).toBe(true), 10_000);
  }, 90_000);

  it('a rolling restart of both instances under load loses nothing', async () => {
    const writers = [0, 1].map(() => ackedClient(environment.env.RELAY!, planId, owner.tokens.accessToken));
    clients.push(...writers);
    await Promise.all(writers.map((client) => synced(client)));
    const written: string[] = [];
    let sequence = 0;
    const writing = setInterval(() => {
      writers.forEach((writer, index) => {
        const id = `rolling-${index}-${(sequence += 1)}`;
        writer.doc.getArray<string>('load').push([id]);
        written.push(id);
      });
    }, 25);
    /** Every writer acknowledged past what it had written when called: they are back and served. */
    const served = async () => {
      const marks = writers.map((writer) => writer.acks.clock());
      await eventually(
        () => writers.forEach((writer, index) => expect(writer.acks.acked).toBeGreaterThan(marks[index]!)),
        20_000,
        50,
      );
    };
    try {
      await served();
      // One at a time, as an orchestrator rolls a deployment: SIGTERM drains, the process restarts.
      for (const which of ['first', 'second'] as const) {
        const instance = which === 'first' ? first : second;
        const port = new URL(instance.baseUrl).port;
        expect((await instance.stop('SIGTERM')).code).toBe(0);
        await served();
        const restarted = await startServer({ ...environment.env, PORT: port });
        if (which === 'first') first = restarted;
        else second = restarted;
        await served();
      }
    } finally {
      clearInterval(writing);
    }
    await eventually(
      () => writers.forEach((writer) => expect(writer.acks.acked).toBe(writer.acks.clock())),
      20_000,
      100,
    );
    const reader = connectClient(environment.env.RELAY!, planId, owner.tokens.accessToken);
    clients.push(reader);
    await synced(reader);
    await eventually(() => expect(written.filter((id) => !entries(reader).has(id))).toEqual([]), 10_000, 100);
  }, 120_000);
});

import { entities } from '../../apps/server/src/entities.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { captureLogs, TEST_SECRETS, tempDir, testConfig } from '../support/config.js';
import {
  createTestDatabase,
  serverEnvironment,
  type ServerEnvironment,
  suiteDialect,
  type TestDatabase,
} from '../support/database.js';
import { migrations } from '../../apps/server/src/database/migrations/index.js';
import { eventually } from '../support/collab.js';
import { graphql } from '../support/http.js';
import { graphqlAs, postJson, signUp, type TokenPair } from '../support/identity.js';
import { openDatabase } from '../../apps/server/src/database/data-source.js';
import { runToExit, SERVER_CLI, startServer, type ServerProcess } from '../support/server-process.js';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

describe('the built server as a process', () => {
  const running: ServerProcess[] = [];
  const environments: ServerEnvironment[] = [];

  /**
   * A data folder and, on PostgreSQL, a database of its own; on SQLite the server takes its
   * embedded default under the data folder, as `npm start` does.
   */
  async function freshEnv(): Promise<NodeJS.ProcessEnv> {
    const environment = await serverEnvironment();
    environments.push(environment);
    return environment.env;
  }

  async function start(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    const server = await startServer(env);
    running.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop('SIGKILL')));
  });

  afterAll(async () => {
    for (const environment of environments) await environment.drop();
  });

  it('starts on the embedded default, keeps its data in the data folder and reuses it on the next start', async () => {
    const env = await freshEnv();
    const dataDir = env.BASCULE_DATA_DIR as string;
    const first = await start(env);
    expect((await fetch(`${first.baseUrl}/health/ready`)).status).toBe(200);
    const info = await graphql<{ serverInfo: { version: string; databaseDialect: string } }>(
      first.baseUrl,
      '{ serverInfo { version databaseDialect } }',
    );
    expect(info.data?.serverInfo).toEqual({
      version: JSON.parse(readFileSync('package.json', 'utf8')).version,
      databaseDialect: suiteDialect().toUpperCase(),
    });
    const secrets = readFileSync(join(dataDir, 'secrets.json'), 'utf8');
    if (suiteDialect() === 'sqlite') expect(existsSync(join(dataDir, 'bascule.sqlite'))).toBe(true);
    const migrationsApplied = first.logLines().filter((line) => line.msg === 'migration applied').length;
    expect(migrationsApplied).toBeGreaterThan(0);
    expect((await first.stop()).code).toBe(0);

    const second = await start(env);
    expect((await fetch(`${second.baseUrl}/health/ready`)).status).toBe(200);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe(secrets);
    expect(second.logLines().filter((line) => line.msg === 'migration applied')).toEqual([]);
  });

  it('serves the web client at / and at its own paths, which reads serverInfo through GraphQL', async () => {
    const server = await start(await freshEnv());
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const bundle = await (await fetch(`${server.baseUrl}${script}`)).text();
    expect(bundle).toContain('serverInfo');
    // A link to a plan, opened directly, gets the same page (the client routes it).
    expect(await (await fetch(`${server.baseUrl}/plans/00000000-0000-4000-8000-000000000000`)).text()).toBe(html);
  });

  it('logs JSON lines with a request id for each request', async () => {
    const server = await start(await freshEnv());
    const response = await graphql(server.baseUrl, '{ serverInfo { version } }', undefined, {
      'x-request-id': 'trace-e2e-1',
    });
    expect(response.status).toBe(200);
    const deadline = Date.now() + 2000;
    let line: Record<string, unknown> | undefined;
    while (line === undefined && Date.now() < deadline) {
      line = server.logLines().find((entry) => (entry.req as { id?: string } | undefined)?.id === 'trace-e2e-1');
      if (line === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(line).toMatchObject({
      level: 30,
      service: 'bascule',
      msg: 'POST /graphql 200',
      req: { method: 'POST', url: '/graphql' },
    });
  });

  it.each(SIGNALS)('stops cleanly on %s with exit code 0 well within 10 s', async (signal) => {
    const server = await start(await freshEnv());
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
    const exit = await server.stop(signal);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.elapsedMs).toBeLessThan(10_000);
    const messages = server.logLines().map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'database closed', 'stopped']));
  });

  (process.platform === 'linux' ? it : it.skip)(
    "runs Node's helper threads below its event loop, and leaves them be when told niceness 0",
    async () => {
      const niceness = (pid: number) =>
        readdirSync(`/proc/${pid}/task`).map((tid) => ({ tid: Number(tid), nice: getPriority(Number(tid)) }));
      const ours = getPriority(process.pid);
      const env = await freshEnv();

      const lowered = await start(env);
      const pid = lowered.child.pid!;
      const said = lowered.logLines().find((line) => line.helperThreads !== undefined)?.helperThreads as {
        threads: number;
        nice: number;
      };
      expect(said).toEqual({ threads: expect.any(Number), nice: 19 });
      // V8's pool alone has four threads by default.
      expect(said.threads).toBeGreaterThanOrEqual(4);
      const threads = niceness(pid);
      expect(threads.find(({ tid }) => tid === pid)?.nice).toBe(ours);
      // Those it lowered; the app's own threads keep the event loop's priority.
      expect(threads.filter(({ nice }) => nice === 19).length).toBeGreaterThanOrEqual(said.threads);
      await lowered.stop();

      const left = await start({ ...env, BASCULE_HELPER_THREAD_NICE: '0' });
      expect(left.logLines().find((line) => line.msg?.toString().includes('is listening'))?.helperThreads).toBeNull();
      expect(new Set(niceness(left.child.pid!).map(({ nice }) => nice))).toEqual(new Set([ours]));
    },
  );

  it('stops within 10 s even with a client holding a keep-alive connection', async () => {
    const server = await start(await freshEnv());
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request(`${server.baseUrl}/health/live`, { agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    const exit = await server.stop('SIGTERM');
    agent.destroy();
    expect(exit.code).toBe(0);
    expect(exit.elapsedMs).toBeLessThan(10_000);
  });
});

describe('the embedded default in development, as after npm install && npm start', () => {
  it('creates a demo organization once, prints how to sign in, and lets each demo user in', async () => {
    const dataDir = tempDir();
    const first = await startServer({ NODE_ENV: 'development', BASCULE_DATA_DIR: dataDir });
    try {
      const printed = first.stdout();
      expect(printed).toContain('demo organization created');
      for (const email of ['owner@demo.bascule.test', 'admin@demo.bascule.test', 'member@demo.bascule.test'])
        expect(printed).toContain(email);
      const password = printed.match(/sign in with password "([^"]+)"/)?.[1];
      expect(password).toBeDefined();
      const roles: string[] = [];
      for (const email of ['owner@demo.bascule.test', 'admin@demo.bascule.test', 'member@demo.bascule.test']) {
        const login = await postJson<TokenPair>(first.baseUrl, '/auth/login', { email, password });
        expect(login.status).toBe(200);
        const me = await graphqlAs<{ me: { role: string; organization: { name: string } } }>(
          first.baseUrl,
          login.body.accessToken,
          '{ me { role organization { name } } }',
        );
        roles.push(me.data!.me.role);
        expect(me.data!.me.organization.name).toBe('Centre hospitalier de démonstration');
      }
      expect(roles).toEqual(['OWNER', 'ADMIN', 'MEMBER']);
      // French (the machine's LANG names no language here), with checkpoints the owner approved.
      const owner = await postJson<TokenPair>(first.baseUrl, '/auth/login', {
        email: 'owner@demo.bascule.test',
        password,
      });
      const demo = await graphqlAs<{
        plans: { edges: { node: { title: string; ragReasons: string[] } }[] };
        portfolio: { readinessByFramework: { framework: string; readiness: number; passed: number; waived: number }[] };
      }>(
        first.baseUrl,
        owner.body.accessToken,
        '{ plans(first: 10) { edges { node { title ragReasons } } } portfolio { readinessByFramework { framework readiness passed waived } } }',
      );
      expect(demo.data!.plans.edges.map((edge) => edge.node.title)).toContain('Messagerie et bureautique vers Bleu');
      expect(demo.data!.plans.edges.flatMap((edge) => edge.node.ragReasons).join(' ')).not.toMatch(
        /\b(overdue|risks?)\b/,
      );
      const readiness = demo.data!.portfolio.readinessByFramework;
      expect(readiness.some((entry) => entry.readiness > 0 && entry.passed > 0)).toBe(true);
      expect(readiness.some((entry) => entry.waived > 0)).toBe(true);
      // A runbook rehearsed (its rehearsal completed, with a comparison to read) and one ready to run.
      const runbooks = await graphqlAs<{
        plans: {
          edges: {
            node: {
              runbooks: {
                title: string;
                kind: string;
                state: string;
                t0: string | null;
                tasks: { title: string }[];
                comparison: { tasks: { actualMinutes: number | null }[] } | null;
              }[];
            };
          }[];
        };
      }>(
        first.baseUrl,
        owner.body.accessToken,
        '{ plans(first: 10) { edges { node { runbooks { title kind state t0 tasks { title } comparison { tasks { actualMinutes } } } } } } }',
      );
      const all = runbooks.data!.plans.edges.flatMap((edge) => edge.node.runbooks);
      const rehearsal = all.find((runbook) => runbook.kind === 'REHEARSAL');
      expect(rehearsal).toMatchObject({ state: 'COMPLETED', title: expect.stringMatching(/^Répétition – /) });
      expect(rehearsal!.comparison!.tasks.some((task) => task.actualMinutes !== null)).toBe(true);
      const ready = all.filter((runbook) => runbook.kind === 'LIVE');
      expect(ready).toHaveLength(2);
      expect(ready.every((runbook) => runbook.state === 'PLANNING' && runbook.t0 !== null)).toBe(true);
      expect(ready.flatMap((runbook) => runbook.tasks.map((task) => task.title)).join(' ')).toMatch(/Geler|gel/i);
      // The team talks: the member asked the owner about a risk (the owner was told, within the
      // second the change log takes), the owner answered.
      const talk = await eventually(async () => {
        const found = await graphqlAs<{
          notifications: { kind: string; actorName: string; excerpt: string }[];
          assignedToMe: { risk: { title: string } | null }[];
          plans: { edges: { node: { commentThreads: { state: string; replies: { authorName: string }[] }[] } }[] };
        }>(
          first.baseUrl,
          owner.body.accessToken,
          '{ notifications(first: 20) { kind actorName excerpt } assignedToMe { risk { title } } plans(first: 10) { edges { node { commentThreads { state replies { authorName } } } } } }',
        );
        expect(found.errors).toBeUndefined();
        expect(found.data!.notifications).toContainEqual(
          expect.objectContaining({
            kind: 'MENTIONED',
            actorName: 'Maëlle Guérin',
            excerpt: expect.stringContaining('réversibilité'),
          }),
        );
        return found.data!;
      });
      expect(talk.assignedToMe.some((found) => found.risk !== null)).toBe(true);
      const threads = talk.plans.edges.flatMap((edge) => edge.node.commentThreads);
      expect(
        threads.filter((thread) => thread.state === 'OPEN' && thread.replies[0]?.authorName === 'Odile Roux'),
      ).toHaveLength(2);
    } finally {
      expect((await first.stop()).code).toBe(0);
    }
    const second = await startServer({ NODE_ENV: 'development', BASCULE_DATA_DIR: dataDir });
    try {
      expect(second.stdout()).not.toContain('demo organization created');
      expect(second.stdout()).toContain('owner@demo.bascule.test');
    } finally {
      await second.stop();
    }
  });

  it('never creates demo data in production', async () => {
    const server = await startServer({ NODE_ENV: 'production', BASCULE_DATA_DIR: tempDir(), ...TEST_SECRETS });
    try {
      const login = await postJson(server.baseUrl, '/auth/login', {
        email: 'owner@demo.bascule.test',
        password: 'bascule-demo-2026',
      });
      expect(login.status).toBe(401);
      expect(server.stdout()).not.toContain('demo');
    } finally {
      await server.stop();
    }
  });
});

describe('start-up refusals', () => {
  it.each([
    [{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL'],
    [{ BASCULE_ROLES: 'api,bogus' }, 'BASCULE_ROLES'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ REDIS_URL: 'localhost' }, 'REDIS_URL'],
    [{ NODE_ENV: 'production' }, 'BASCULE_JWT_SECRET'],
    [{ NODE_ENV: 'production', BASCULE_JWT_SECRET: TEST_SECRETS.BASCULE_JWT_SECRET }, 'BASCULE_TOKEN_HASH_KEY'],
  ])('exits 1 with one line naming the variable (%j)', async (env, variable) => {
    const exit = await runToExit({ BASCULE_DATA_DIR: tempDir(), ...env });
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^bascule: configuration error: ${variable} `));
    expect(exit.stdout).toBe('');
  });

  it('exits 1 with one line when the port is taken', async () => {
    const dataDir = tempDir();
    const holder = await startServer({ BASCULE_DATA_DIR: dataDir });
    try {
      const port = new URL(holder.baseUrl).port;
      const exit = await runToExit({ BASCULE_DATA_DIR: tempDir(), PORT: port, HOST: '127.0.0.1' });
      expect(exit.code).toBe(1);
      expect(exit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^bascule: cannot start: .*EADDRINUSE/)]);
    } finally {
      await holder.stop();
    }
  });
});

describe('the command line', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('migrates a database and says so', async () => {
    const exit = await runToExit({ DATABASE_URL: database.url, BASCULE_DATA_DIR: tempDir() }, SERVER_CLI, ['migrate']);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain(`is up to date: ${migrations.length} migrations applied`);
  });

  it('compacts every plan on demand and reports what it merged', async () => {
    const exit = await runToExit({ DATABASE_URL: database.url, BASCULE_DATA_DIR: tempDir() }, SERVER_CLI, ['compact']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/\d+ updates merged into \d+ snapshots/);
  });

  it("verifies each organization's audit chain, and says where an altered one breaks", async () => {
    const dataDir = tempDir();
    const server = await startServer({ DATABASE_URL: database.url, BASCULE_DATA_DIR: dataDir });
    try {
      await signUp(server.baseUrl);
      await signUp(server.baseUrl);
    } finally {
      await server.stop(); // a clean stop writes the trail's last events
    }
    const audit = (...args: string[]) =>
      runToExit({ DATABASE_URL: database.url, BASCULE_DATA_DIR: dataDir }, SERVER_CLI, ['audit', ...args]);
    const good = await audit('verify');
    expect(good.code).toBe(0);
    expect(good.stdout.match(/: \d+ events, chain verifies \(head \d+\)/g)).toHaveLength(2);
    // The heads, kept outside the database (here a file), as an operator would after a backup.
    const heads = await audit('heads');
    expect(heads.code).toBe(0);
    const anchors = join(dataDir, 'audit-heads.txt');
    writeFileSync(anchors, heads.stdout);
    expect(heads.stdout.trim().split('\n')).toHaveLength(2);
    const [organization, headSeq] = heads.stdout.split('\n')[0]!.split(' ');
    const [other] = heads.stdout.split('\n')[1]!.split(' ');

    // Someone with the database's own rights gets past the append-only triggers: the newest event
    // of one organization removed (which the chain alone cannot show), the first of the other altered.
    const dataSource = await openDatabase(testConfig({ DATABASE_URL: database.url }), captureLogs().logger, entities);
    try {
      if (dataSource.options.type === 'postgres')
        await dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      else await dataSource.query('DROP TRIGGER audit_events_no_delete');
      await dataSource.query(`DELETE FROM audit_events WHERE organization_id = '${organization}' AND seq = ${headSeq}`);
      expect((await audit('verify')).code).toBe(0);
      const cut = await audit('verify', '--anchors', anchors);
      expect(cut.code).toBe(1);
      expect(cut.stdout).toContain(`BROKEN: events ${headSeq} to ${headSeq} were removed`);

      if (dataSource.options.type !== 'postgres') await dataSource.query('DROP TRIGGER audit_events_no_update');
      await dataSource.query(
        `UPDATE audit_events SET actor_name = 'Mallory' WHERE organization_id = '${other}' AND seq = 1`,
      );
    } finally {
      await dataSource.destroy();
    }
    const bad = await audit('verify');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`organization ${other}: \\d+ events, BROKEN: event 1 was altered`));
    expect(bad.stdout.match(/BROKEN/g)).toHaveLength(1);
    expect((await audit('verify', '--anchors', join(dataDir, 'missing.txt'))).code).toBe(2);
  }, 60_000);

  it('confirms the committed GraphQL schema matches the code', async () => {
    const exit = await runToExit({}, SERVER_CLI, ['schema', '--check']);
    expect(exit).toMatchObject({ code: 0, stdout: 'GraphQL schema file is up to date\n' });
  });

  it('answers an unknown command with its usage and exit code 2', async () => {
    const exit = await runToExit({}, SERVER_CLI, ['migrat']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('unknown command: migrat');
    expect(exit.stderr).toContain('usage:');
  });
});

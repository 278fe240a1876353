import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication } from '@nestjs/common';
import { Int, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { PLAN_SCHEMA_VERSION } from '@bascule/plan-model';
import { captureLogs, testConfig } from '../../../test/support/config.js';
import { createTestDatabase, suiteDialect, type TestDatabase } from '../../../test/support/database.js';
import { connectClient, createPlan, eventually, synced } from '../../../test/support/collab.js';
import { graphql, listen } from '../../../test/support/http.js';
import { signUp } from '../../../test/support/identity.js';
import { Allow } from './access/permissions.js';
import { createApp } from './app.factory.js';
import { PlanDocumentService } from './collab/plan-document.service.js';
import { AppError } from './common/errors.js';
import { printAppSchema, readSchemaFile } from './graphql/schema-file.js';
import { Shutdown } from './lifecycle/shutdown.js';
import { VERSION } from './core/version.js';

@Allow('public')
@Resolver()
class FailingResolver {
  @Query(() => String)
  failsInternally(): string {
    throw new Error('connection to 10.0.0.7:5432 refused (password authentication failed)');
  }

  @Query(() => String)
  failsForTheUser(): string {
    throw new AppError('NOT_FOUND', 'No plan with this id.');
  }
}

@Module({ providers: [FailingResolver] })
class FailingModule {}

@Allow('public')
@Resolver()
class SlowResolver {
  constructor(private readonly dataSource: DataSource) {}

  /** Stands for any request still running when shutdown begins: it needs the database at its end. */
  @Query(() => Int)
  async slowDatabaseRead(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = (await this.dataSource.query('SELECT 1 AS one')) as { one: number | string }[];
    return Number(rows[0]!.one);
  }
}

@Module({ providers: [SlowResolver] })
class SlowModule {}

describe('the application (real modules, real database)', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const logs = captureLogs();

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }), logs.logger, [FailingModule]);
    baseUrl = await listen(app);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('is live and ready, checking the database and Redis when configured', async () => {
    expect(await (await fetch(`${baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const expected = process.env.REDIS_URL
      ? { database: { status: 'up' }, redis: { status: 'up' } }
      : { database: { status: 'up' } };
    expect(await ready.json()).toEqual({ status: 'ok', checks: expected });
  });

  it('answers serverInfo with the version, the dialect and the roles', async () => {
    const response = await graphql(baseUrl, '{ serverInfo { version databaseDialect roles planSchemaVersion } }');
    expect(response).toEqual({
      status: 200,
      data: {
        serverInfo: {
          version: VERSION,
          databaseDialect: suiteDialect().toUpperCase(),
          roles: ['API', 'COLLAB', 'WORKER'],
          planSchemaVersion: PLAN_SCHEMA_VERSION,
        },
      },
    });
  });

  it('masks internal errors and keeps user-facing ones', async () => {
    const internal = await graphql(baseUrl, '{ failsInternally }');
    expect(internal.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['failsInternally'],
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(internal)).not.toMatch(/10\.0\.0\.7|password|stack/);
    const logged = logs.lines().find((line) => line.msg === 'unexpected error in a GraphQL operation');
    expect(logged).toMatchObject({ err: { message: expect.stringContaining('10.0.0.7') } });

    const user = await graphql(baseUrl, '{ failsForTheUser }');
    expect(user.errors?.[0]).toMatchObject({ message: 'No plan with this id.', extensions: { code: 'NOT_FOUND' } });
  });

  it('reports malformed and invalid operations as BAD_USER_INPUT', async () => {
    const syntax = await graphql(baseUrl, '{ serverInfo { version }');
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(syntax.errors?.[0]?.message).toContain('Syntax Error');

    const unknownField = await graphql(baseUrl, '{ serverInfo { secrets } }');
    expect(unknownField.errors?.[0]).toMatchObject({
      message: 'Cannot query field "secrets" on type "ServerInfo".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('blocks requests a browser could send cross-site (CSRF prevention)', async () => {
    const simplePost = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ serverInfo { version } }' }),
    });
    expect(simplePost.status).toBe(400);
    expect(await simplePost.text()).toContain('Cross-Site Request Forgery');

    const simpleGet = await fetch(`${baseUrl}/graphql?query=${encodeURIComponent('{ serverInfo { version } }')}`);
    expect(simpleGet.status).toBe(400);

    const withPreflightHeader = await fetch(
      `${baseUrl}/graphql?query=${encodeURIComponent('{ serverInfo { version } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(await withPreflightHeader.json()).toEqual({ data: { serverInfo: { version: VERSION } } });
  });

  it('gives every request an id, echoed and logged, keeping a well-formed one from a proxy', async () => {
    const fresh = await fetch(`${baseUrl}/health/live`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const fromProxy = await graphql(baseUrl, '{ serverInfo { version } }', undefined, {
      'x-request-id': 'edge-42.abc',
    });
    expect(fromProxy.status).toBe(200);
    const line = logs.lines().find((entry) => (entry.req as { id?: string } | undefined)?.id === 'edge-42.abc');
    expect(line).toMatchObject({
      msg: 'POST /graphql 200',
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });

    const forged = await fetch(`${baseUrl}/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the web client at / and for client routes, never for server paths', async () => {
    const index = await fetch(`${baseUrl}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);

    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1] as string;
    const asset = await fetch(`${baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');

    expect(await (await fetch(`${baseUrl}/plans/123/risks`)).text()).toContain('<div id="root"></div>');
    const unknownHealth = await fetch(`${baseUrl}/health/nope`);
    expect(unknownHealth.status).toBe(404);
    expect(unknownHealth.headers.get('content-type')).toContain('application/json');
  });
});

describe('in production mode', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, NODE_ENV: 'production' }), captureLogs().logger);
    baseUrl = await listen(app);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses introspection', async () => {
    const response = await graphql(baseUrl, '{ __schema { types { name } } }');
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('introspection'),
    });
  });

  it('shows no GraphQL sandbox page', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      headers: { accept: 'text/html', 'apollo-require-preflight': 'true' },
    });
    expect(response.headers.get('content-type')).not.toContain('text/html');
    expect(await response.text()).not.toMatch(/<html|sandbox/i);
  });

  it('still answers serverInfo', async () => {
    expect((await graphql(baseUrl, '{ serverInfo { version } }')).data).toEqual({ serverInfo: { version: VERSION } });
  });
});

describe('roles and dependencies', () => {
  const opened: { app: INestApplication; database: TestDatabase }[] = [];

  async function start(
    env: NodeJS.ProcessEnv,
    extra: (typeof SlowModule)[] = [],
  ): Promise<{ app: INestApplication; baseUrl: string }> {
    const database = await createTestDatabase();
    const app = await createApp(testConfig({ DATABASE_URL: database.url, ...env }), captureLogs().logger, extra);
    opened.push({ app, database });
    return { app, baseUrl: await listen(app) };
  }

  afterEach(async () => {
    for (const { app, database } of opened.splice(0)) {
      await app.close();
      await database.drop();
    }
  });

  it('offers the introspection sandbox outside production', async () => {
    const { baseUrl } = await start({});
    const response = await fetch(`${baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).toMatch(/sandbox/i);
  });

  it('runs without GraphQL and the web client when the api role is off', async () => {
    const { baseUrl } = await start({ BASCULE_ROLES: 'collab,worker' });
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    expect((await graphql(baseUrl, '{ serverInfo { version } }').catch(() => ({ status: 404 }))).status).toBe(404);
    expect((await fetch(`${baseUrl}/`)).status).toBe(404);
  });

  it('says it is not ready once its drain begins, tells collab clients to reconnect elsewhere, keeps their work', async () => {
    const { app, baseUrl } = await start({});
    const owner = await signUp(baseUrl);
    const planId = await createPlan(baseUrl, owner.tokens.accessToken);
    const editor = connectClient(baseUrl, planId, owner.tokens.accessToken);
    const witness = connectClient(baseUrl, planId, owner.tokens.accessToken);
    try {
      await Promise.all([synced(editor), synced(witness)]);
      editor.doc.getMap('plan').set('title', 'stored before the drain ends');
      await eventually(() => expect(witness.doc.getMap('plan').get('title')).toBe('stored before the drain ends'));
      await app.get(Shutdown).drain();
      const ready = await fetch(`${baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'stopping', checks: {} });
      await eventually(() => expect(editor.closes.map((close) => close.code)).toContain(1001));
      const stored = await app.get(PlanDocumentService).read(planId);
      expect(stored.getMap('plan').get('title')).toBe('stored before the drain ends');
    } finally {
      editor.destroy();
      witness.destroy();
    }
  });

  it('is not ready while Redis is unreachable, and says why', async () => {
    const { baseUrl } = await start({ REDIS_URL: 'redis://127.0.0.1:1' });
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: Record<string, { status: string; error?: string }> };
    expect(body.status).toBe('unavailable');
    expect(body.checks.database).toEqual({ status: 'up' });
    expect(body.checks.redis?.status).toBe('down');
    expect(body.checks.redis?.error).toEqual(expect.any(String));
  });

  it('matches the committed GraphQL schema (after an API change: npm run schema:write)', async () => {
    const { app } = await start({});
    expect(readSchemaFile()).toBe(printAppSchema(app));
  });

  it('lets a request in flight finish before closing the database, and refuses new connections', async () => {
    const { app, baseUrl } = await start({}, [SlowModule]);
    const inFlight = graphql(baseUrl, '{ slowDatabaseRead }');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();
    expect(await inFlight).toEqual({ status: 200, data: { slowDatabaseRead: 1 } });
    await closing;
    expect(app.get(DataSource).isInitialized).toBe(false);
  });

  it('closes the database when the application closes', async () => {
    const { app } = await start({});
    const dataSource = app.get(DataSource);
    expect(dataSource.isInitialized).toBe(true);
    await app.close();
    expect(dataSource.isInitialized).toBe(false);
  });
});

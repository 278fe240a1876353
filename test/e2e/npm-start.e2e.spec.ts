import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectClient, createPlan, eventually, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { graphqlAs, logIn, signUp } from '../support/identity.js';
import { NPM_START, startServer } from '../support/server-process.js';

/**
 * `npm start` as a person runs it in a terminal: Ctrl+C (SIGINT) or a process manager's SIGTERM
 * reaches npm, its shell and the server together. The prompt must come back only once the server
 * has stopped, with exit code 0, and a second `npm start` right after must start on the same data.
 */
describe(`npm start stops cleanly on SIGINT and SIGTERM to its process group (${suiteDialect()})`, () => {
  let environment: ServerEnvironment;

  beforeAll(async () => {
    environment = await serverEnvironment({ NODE_ENV: 'development' }, { redis: false });
  });

  afterAll(() => environment.drop());

  const refused = async (baseUrl: string) => {
    try {
      await fetch(`${baseUrl}/health/live`);
      return false;
    } catch {
      return true;
    }
  };

  it('returns exit 0 once the server has stopped, and starts again right after on the same data', async () => {
    const first = await startServer(environment.env, 120_000, NPM_START);
    const owner = await signUp(first.baseUrl);
    const planId = await createPlan(first.baseUrl, owner.tokens.accessToken, 'Arrêt propre');
    const writer = connectClient(first.baseUrl, planId, owner.tokens.accessToken);
    const reader = connectClient(first.baseUrl, planId, owner.tokens.accessToken);
    await Promise.all([synced(writer), synced(reader)]);
    writer.doc.getMap('plan').set('sourcePlatform', 'Exchange 2016 sur site');
    // Accepted: the server relayed it to another client. Ctrl+C at once.
    await eventually(() => expect(reader.doc.getMap('plan').get('sourcePlatform')).toBe('Exchange 2016 sur site'));
    const interrupted = await first.stop('SIGINT');
    writer.destroy();
    reader.destroy();
    expect({ code: interrupted.code, signal: interrupted.signal }).toEqual({ code: 0, signal: null });
    // npm returned only after the server had said it stopped, and nothing listens any more.
    expect(interrupted.stdout).toMatch(/shutting down[\s\S]*stopped/);
    expect(await refused(first.baseUrl)).toBe(true);

    const second = await startServer(environment.env, 120_000, NPM_START);
    try {
      const login = await logIn(second.baseUrl, owner.email, owner.password);
      const plan = await graphqlAs<{ plan: { title: string; sourcePlatform: string | null } }>(
        second.baseUrl,
        login.body.accessToken,
        'query($id: ID!) { plan(id: $id) { title sourcePlatform } }',
        { id: planId },
      );
      expect(plan.data?.plan).toEqual({ title: 'Arrêt propre', sourcePlatform: 'Exchange 2016 sur site' });
    } finally {
      const terminated = await second.stop('SIGTERM');
      expect({ code: terminated.code, signal: terminated.signal }).toEqual({ code: 0, signal: null });
      expect(terminated.stdout).toMatch(/shutting down[\s\S]*stopped/);
      expect(await refused(second.baseUrl)).toBe(true);
    }
  }, 300_000);
});

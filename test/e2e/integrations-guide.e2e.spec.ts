import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPlan } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { graphqlAs, type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GUIDE = join(ROOT, 'docs/integrations.md');

/** The guide's `js` blocks, in order: one module, as a reader would paste them. */
export function guideModule(markdown: string): string {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((block) => block[1]).join('\n');
}

/**
 * docs/integrations.md as an external tool's developer follows it: its code, run as it is written
 * (a Node module importing graphql-ws, ws and standardwebhooks), against the server as a process,
 * with an organization's API tokens. The guide cannot rot: a block that stops working fails here.
 */
describe(`the integration guide, run against the server (${suiteDialect()})`, () => {
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;
  let scratch: string;

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Applications métiers vers OVHcloud');
    const seeded = await graphqlAs(
      server.baseUrl,
      owner.tokens.accessToken,
      `mutation($p: ID!) {
        createMilestone(planId: $p, input: { title: "Landing zone", dueDate: "2027-03-01" }) { id }
        createWorkload(planId: $p, input: { name: "GLPI", criticality: HIGH }) { id }
      }`,
      { p: planId },
    );
    expect(seeded.errors).toBeUndefined();
    // Bare imports resolve from the repository's node_modules, as from the tool's own.
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
    scratch = mkdtempSync(join(ROOT, 'node_modules/.cache/integration-guide-'));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await environment?.drop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('runs every code block of docs/integrations.md, in order, and each does what the guide says', async () => {
    const token = async (scope: string) => {
      const created = await graphqlAs<{ createApiToken: { secret: string } }>(
        server.baseUrl,
        owner.tokens.accessToken,
        'mutation($n: String!, $s: [ApiTokenScope!]!) { createApiToken(input: { name: $n, scopes: $s }) { secret } }',
        { n: `guide ${scope}`, s: [scope] },
      );
      expect(created.errors).toBeUndefined();
      return created.data!.createApiToken.secret;
    };
    const module = guideModule(readFileSync(GUIDE, 'utf8'));
    expect(module).toContain('standardwebhooks');
    const file = join(scratch, 'guide.mjs');
    writeFileSync(file, module);
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      env: {
        PATH: process.env.PATH,
        BASCULE_URL: server.baseUrl,
        BASCULE_TOKEN: await token('WRITE'),
        BASCULE_READ_TOKEN: await token('READ'),
        RECEIVER_PORT: '0',
      },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^connected to .+ as a token \(.+\)$/),
      'read "Applications métiers vers OVHcloud": 1 milestones, 0 risks, 0 checkpoints, 1 workloads',
      expect.stringMatching(/^risk \S+ created, score 12$/),
      'live: "Applications métiers vers OVHcloud" changed',
      expect.stringMatching(/^webhook (risk\.critical|plan\.changed) verified \(\S+\)$/),
      'calendar: text/calendar; charset=utf-8, 1 events',
    ]);
  }, 90_000);
});

import { describe, expect, it } from '@jest/globals';
import { validate } from 'dockerfile-utils';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../apps/server/src/config/config.js';

/**
 * No Docker engine runs here, so the image and the compose file are checked by reading them: a
 * Dockerfile linter, and the facts they rely on (paths, variables, endpoints) against the code.
 */
const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const compose = parse(readFileSync('docker/compose.yaml', 'utf8')) as {
  services: Record<
    string,
    { environment?: Record<string, string>; healthcheck?: unknown; depends_on?: Record<string, { condition: string }> }
  >;
};

describe('docker/Dockerfile', () => {
  it('passes the Dockerfile linter', () => {
    expect(validate(dockerfile).map((problem) => `${problem.range.start.line + 1}: ${problem.message}`)).toEqual([]);
  });

  it('builds on Node 24 LTS and runs as the unprivileged node user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-[\w-]+$/m);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).not.toMatch(/^USER root$/m);
  });

  it('probes readiness and starts the entry point that the build produces', () => {
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health\/ready/);
    expect(dockerfile).toContain('CMD ["node", "apps/server/dist/main.js"]');
    for (const [, path] of dockerfile.matchAll(/COPY --from=build \S+ \/app\/(\S+)/g)) {
      expect({ path, exists: existsSync(path as string) }).toEqual({ path, exists: true });
    }
  });
});

describe('docker/compose.yaml', () => {
  const bascule = compose.services.bascule!;

  it('runs the app with PostgreSQL and Redis, waiting until both are healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bascule', 'postgres', 'redis']);
    expect(compose.services.postgres!.healthcheck).toBeDefined();
    expect(compose.services.redis!.healthcheck).toBeDefined();
    expect(bascule.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('sets only variables the server reads, with values it accepts', () => {
    const environment = bascule.environment!;
    expect(Object.keys(environment).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
    const substituted = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [
        name,
        value.replace(
          /\$\{(\w+)(:\?[^}]*)?\}/g,
          (_match, variable: string) => `${variable.toLowerCase()}-0123456789abcdef0123456789`,
        ),
      ]),
    );
    expect(loadConfig(substituted)).toMatchObject({
      production: true,
      database: { dialect: 'postgres' },
      redisUrl: 'redis://redis:6379',
      roles: ['api', 'collab', 'worker'],
    });
  });
});

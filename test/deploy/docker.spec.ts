import { describe, expect, it } from '@jest/globals';
import { validate } from 'dockerfile-utils';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../apps/server/src/config/config.js';

/**
 * No Docker engine runs here, so the image and the compose file are checked by reading them: a
 * Dockerfile linter, and the facts they rely on (paths, variables, endpoints) against the code.
 */
const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const compose = parse(readFileSync('docker/compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      environment?: Record<string, string>;
      healthcheck?: unknown;
      depends_on?: Record<string, { condition: string }> | string[];
      volumes?: string[];
    }
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
  const instances = ['bascule-1', 'bascule-2'];

  it('passes dclint: the Compose specification schema and its correctness rules', () => {
    const lint = spawnSync(process.execPath, ['node_modules/dclint/bin/dclint.cjs', 'docker/compose.yaml'], {
      encoding: 'utf8',
    });
    expect({ status: lint.status, output: (lint.stdout + lint.stderr).trim() }).toEqual({ status: 0, output: '' });
  });

  it('runs two instances with PostgreSQL and Redis, waiting until both are healthy, behind a proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bascule-1', 'bascule-2', 'postgres', 'proxy', 'redis']);
    expect(compose.services.postgres!.healthcheck).toBeDefined();
    expect(compose.services.redis!.healthcheck).toBeDefined();
    for (const name of instances) {
      expect(compose.services[name]!.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    // Each instance its own data folder; the same image and settings otherwise.
    expect(compose.services['bascule-1']!.volumes).not.toEqual(compose.services['bascule-2']!.volumes);
    expect(compose.services['bascule-2']!.environment).toEqual(compose.services['bascule-1']!.environment);
    expect(compose.services.proxy!.depends_on).toEqual(instances);
  });

  it('proxies to both instances, passing WebSocket upgrades', () => {
    const nginx = readFileSync('docker/nginx.conf', 'utf8');
    for (const name of instances) expect(nginx).toContain(`server ${name}:3000`);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    expect(compose.services.proxy!.volumes).toEqual(['./nginx.conf:/etc/nginx/nginx.conf:ro']);
  });

  it('sets only variables the server reads, with values it accepts', () => {
    const environment = compose.services['bascule-1']!.environment!;
    expect(Object.keys(environment).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
    // Compose's substitution: a default after ":-", a placeholder secret for a required one (":?").
    const substituted = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [
        name,
        value.replace(
          /\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g,
          (_match, variable: string, fallback?: string) =>
            fallback ?? `${variable.toLowerCase()}-0123456789abcdef0123456789`,
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

// Helpers shared by the benchmarks: processes pinned to a core, a Bascule server ready to use.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** BENCH_PROFILE=<dir>: servers write a V8 CPU profile there (open it in Chrome DevTools). */
export const serverProfile = [
  ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
  // BENCH_NODE_ARGS: more flags for the servers' node (`--trace-gc`, heap sizes), split on spaces.
  ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((flag) => flag !== ''),
];

export function pinned(core, args, env = {}) {
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  return { child, output: () => out };
}

/**
 * Stops a server started with `pinned` (SIGTERM) and resolves once it has exited. BENCH_SERVER_LOG=<dir>:
 * what it wrote (with `--trace-gc` in BENCH_NODE_ARGS, its collections) goes to <dir>/<pid>.log.
 */
export async function stopServer(server) {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.on('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
  if (process.env.BENCH_SERVER_LOG)
    writeFileSync(resolve(process.env.BENCH_SERVER_LOG, `${child.pid}.log`), server.output());
}

export async function waitUntil(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the process has been nearly idle for a second (below 5 % of a core), at most `timeoutMs`:
 * a measure that starts while the server still compacts or projects what a set-up wrote would charge
 * that work to whatever is measured first.
 */
export async function quiet(pid, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (cpuSeconds(pid) - before < 0.05 || Date.now() > deadline) return;
  }
}

/** Resident memory of the server process (taskset execs node, so the pid is node's). */
export function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

export async function json(url, body, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** A new PostgreSQL database for one server, and how to drop it once that server has stopped. */
export function freshPostgres() {
  const name = `bascule_bench_${Date.now()}`;
  execFileSync('psql', [PG_URL, '-qc', `CREATE DATABASE ${name}`]);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => execFileSync('psql', [PG_URL, '-qc', `DROP DATABASE IF EXISTS ${name}`]) };
}

/**
 * Starts Bascule in production mode pinned to core 0, on SQLite (or a fresh PostgreSQL database with
 * `postgres`), signs a user up and returns a write API token with it, and `signIn()` for a session.
 * `stop()` stops it and drops its PostgreSQL database.
 */
export async function startBascule({
  postgres = false,
  env: extra = {},
  nodeArgs = [],
  script = 'apps/server/dist/main.js',
} = {}) {
  const port = await freePort();
  const database = postgres ? freshPostgres() : null;
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BASCULE_DATA_DIR: mkdtempSync(join(tmpdir(), 'bascule-bench-')),
    BASCULE_JWT_SECRET: 'bench-jwt-secret-0123456789abcdefghijklmnop',
    BASCULE_TOKEN_HASH_KEY: 'bench-token-hash-key-0123456789abcdefghijk',
    BASCULE_COLLAB_MESSAGES_PER_SECOND: '100000',
    BASCULE_COLLAB_CONNECTIONS_PER_USER: '100000',
    BASCULE_RATE_LIMIT_SIGNUP: '1000/1m',
    ...(database === null ? {} : { DATABASE_URL: database.url }),
    // Any BASCULE_* variable of the bench's own environment tunes the server it measures
    // (BASCULE_AUTO_COMPACTION=off: the load path alone, without the collab role's compactions).
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('BASCULE_'))),
    ...extra,
  };
  const server = pinned(0, [...serverProfile, ...nodeArgs, script], env);
  const stop = async () => {
    await stopServer(server);
    database?.drop();
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => (await fetch(`${base}/health/ready`).catch(() => ({ ok: false }))).ok,
      'bascule to be ready',
    );
    const credentials = { email: `bench-${port}@example.test`, password: 'benchmark passphrase 2026' };
    const tokens = await json(`${base}/auth/signup`, {
      ...credentials,
      displayName: 'Bench',
      organizationName: 'Bench',
    });
    const apiToken = await json(
      `${base}/graphql`,
      { query: 'mutation { createApiToken(input: { name: "bench", scopes: [WRITE] }) { secret } }' },
      tokens.accessToken,
    );
    const secret = apiToken.data.createApiToken.secret;
    /** A new session's access token, as the browser holds after signing in (valid 15 minutes). */
    const signIn = async () => (await json(`${base}/auth/login`, credentials)).accessToken;
    return { server, env, base, token: secret, tokens, signIn, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Collab benchmark: each server pinned to core 0, the load generator to core 1, same scenarios for
// all. Usage: npm run bench:collab [-- --quick] ; results in bench/collab/results.json and printed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const quick = process.argv.includes('--quick');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const params = {
  S1: { plans: 50, rate: 5, seconds: quick ? 5 : 20 },
  S3: { plans: 20, connections: quick ? 200 : 1000 },
  S4: { updates: 10_000 },
  S2: { clients: [50, 100, 250], rates: [1, 2, 5, 10, 20, 40, 80], stepSeconds: quick ? 2 : 4 },
};
const scenarios = (process.env.BENCH_SCENARIOS ?? 'S1,S2,S3,S4').split(',');

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function pinned(core, args, env = {}) {
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

async function waitUntil(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of the server process (taskset execs node, so the pid is node's). */
function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

async function json(url, body, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** Starts one server; returns how clients reach it and room names (plan ids for Bascule). */
async function startTarget(name) {
  const port = await freePort();
  if (!name.startsWith('bascule')) {
    const server = pinned(0, ['bench/collab/peer-server.js', name], { PORT: String(port) });
    await waitUntil(() => server.output().includes('listening'), `${name} to listen`);
    return {
      server,
      target: { kind: name, url: `ws://127.0.0.1:${port}` },
      rooms: (n, prefix) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`),
    };
  }
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
    ...(name === 'bascule-postgres' ? { DATABASE_URL: await freshPostgres() } : {}),
  };
  const server = pinned(0, ['apps/server/dist/main.js'], env);
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => (await fetch(`${base}/health/ready`).catch(() => ({ ok: false }))).ok,
    'bascule to be ready',
  );
  const tokens = await json(`${base}/auth/signup`, {
    email: `bench-${port}@example.test`,
    password: 'benchmark passphrase 2026',
    displayName: 'Bench',
    organizationName: 'Bench',
  });
  const apiToken = await json(
    `${base}/graphql`,
    { query: 'mutation { createApiToken(input: { name: "bench", scopes: [WRITE] }) { secret } }' },
    tokens.accessToken,
  );
  const secret = apiToken.data.createApiToken.secret;
  const rooms = async (n, prefix) => {
    const ids = [];
    for (let i = 0; i < n; i += 1) {
      const plan = await json(
        `${base}/graphql`,
        { query: `mutation { createPlan(input: { title: "${prefix} ${i}" }) { id } }` },
        secret,
      );
      ids.push(plan.data.createPlan.id);
    }
    return ids;
  };
  return { server, env, target: { kind: 'bascule', url: `ws://127.0.0.1:${port}/collab`, token: secret }, rooms };
}

async function freshPostgres() {
  const name = `bascule_bench_${Date.now()}`;
  execFileSync('psql', [PG_URL, '-qc', `CREATE DATABASE ${name}`]);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function load(scenario, target, scenarioParams, onLine) {
  const generator = pinned(1, [
    'bench/collab/scenarios.js',
    scenario,
    JSON.stringify(target),
    JSON.stringify(scenarioParams),
  ]);
  let buffer = '';
  generator.child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let index;
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      if (line.startsWith('{')) onLine?.(JSON.parse(line), generator.child);
    }
  });
  const code = await new Promise((resolve) => generator.child.on('exit', resolve));
  const last = generator
    .output()
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{"result"'))
    .pop();
  if (code !== 0 || last === undefined) throw new Error(`${scenario} failed:\n${generator.output()}`);
  return JSON.parse(last).result;
}

async function measure(name) {
  const started = await startTarget(name);
  const { server, target } = started;
  const pid = server.child.pid;
  const result = { server: name };
  try {
    if (scenarios.includes('S1')) {
      const s1Rooms = await started.rooms(params.S1.plans, 's1');
      const cpuBefore = cpuSeconds(pid);
      const s1 = await load('S1', target, { ...params.S1, plans: s1Rooms });
      result.S1 = {
        ...s1,
        serverCpuPercent: Math.round(((cpuSeconds(pid) - cpuBefore) / (params.S1.seconds + 1.5)) * 100),
      };
    }
    if (scenarios.includes('S2')) {
      result.S2 = [];
      for (const clients of params.S2.clients) {
        const [room] = await started.rooms(1, `s2-${clients}`);
        try {
          const s2 = await load('S2', target, {
            room,
            clients,
            rates: params.S2.rates,
            stepSeconds: params.S2.stepSeconds,
          });
          result.S2.push({
            clients,
            writers: s2.writers,
            kneeUpdatesPerSecond: s2.kneeUpdatesPerSecond,
            lastStep: s2.lastStep,
          });
        } catch (error) {
          // Reported, not hidden: a scenario a server cannot complete is a result too.
          result.S2.push({ clients, error: error.message.split('\n').slice(0, 3).join(' ') });
        }
      }
    }
    if (scenarios.includes('S3')) {
      const s3Rooms = await started.rooms(params.S3.plans, 's3');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const rssBefore = rssKiB(pid);
      await load('S3', target, { ...params.S3, plans: s3Rooms }, (line, child) => {
        if (line.ready === undefined) return;
        result.S3 = {
          connections: line.ready,
          kibPerConnection: Math.round(((rssKiB(pid) - rssBefore) / line.ready) * 10) / 10,
        };
        child.stdin.write('done\n');
      });
    }
    if (scenarios.includes('S4')) {
      const [s4Room] = await started.rooms(1, 's4');
      const stored = name.startsWith('bascule');
      const first = await load('S4', target, { ...params.S4, room: s4Room, write: true, keepWriter: !stored });
      result.S4 = { beforeCompactionMs: Math.round(first.firstSyncMs) };
      if (stored) {
        execFileSync(process.execPath, ['apps/server/dist/cli.js', 'compact'], {
          cwd: root,
          env: { ...process.env, ...started.env },
        });
        result.S4.afterCompactionMs = Math.round(
          (await load('S4', target, { ...params.S4, room: s4Room, write: false })).firstSyncMs,
        );
      }
    }
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.on('exit', resolve));
  }
  return result;
}

const names = (process.env.BENCH_SERVERS ?? 'raw,ywss,hocuspocus,bascule-sqlite,bascule-postgres').split(',');
const results = [];
for (const name of names) {
  process.stderr.write(`benchmarking ${name}...\n`);
  const result = await measure(name);
  process.stderr.write(`${JSON.stringify(result)}\n`);
  results.push(result);
}
writeFileSync(
  resolve(root, process.env.BENCH_OUTPUT ?? 'bench/collab/results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), quick, params, results }, null, 2)}\n`,
);
// The table is the point of a benchmark run.
// eslint-disable-next-line no-console
console.table(
  results.map((r) => ({
    server: r.server,
    's1 p50 ms': r.S1?.p50?.toFixed(2),
    's1 p99 ms': r.S1?.p99?.toFixed(2),
    's1 delivered': `${r.S1?.delivered}/${r.S1?.expected}`,
    's1 cpu %': r.S1?.serverCpuPercent,
    's3 KiB/conn': r.S3?.kibPerConnection,
    's4 sync ms': r.S4?.beforeCompactionMs,
    's4 after compaction ms': r.S4?.afterCompactionMs,
    's2 knee (updates/s) at 50/100/250 clients': r.S2?.map(
      (step) => step.kneeUpdatesPerSecond ?? `>${step.lastStep.updatesPerSecond}`,
    ).join(' / '),
  })),
);

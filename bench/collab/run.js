// Collab benchmark: each server pinned to core 0, the load generator to core 1, same scenarios for
// all. Usage: npm run bench:collab [-- --quick] ; results in bench/collab/results.json and printed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  cpuSeconds,
  freePort,
  freshPostgres,
  json,
  pinned,
  quiet,
  root,
  rssKiB,
  serverProfile,
  startBascule,
  stopServer,
  waitUntil,
} from '../support.js';

const quick = process.argv.includes('--quick');
const params = {
  S1: { plans: 50, rate: 5, seconds: quick ? 5 : 20, rounds: Number(process.env.BENCH_S1_ROUNDS ?? (quick ? 1 : 3)) },
  S3: { plans: 20, connections: quick ? 200 : 1000 },
  S4: { updates: 10_000 },
  S2: {
    clients: (process.env.BENCH_S2_CLIENTS ?? '50,100,250').split(',').map(Number),
    rates: [1, 2, 5, 10, 20, 40, 80],
    stepSeconds: quick ? 2 : 4,
  },
};
const scenarios = (process.env.BENCH_SCENARIOS ?? 'S1,S2,S3,S4').split(',');

/** Starts one server; returns how clients reach it and room names (plan ids for Bascule). */
async function startTarget(name) {
  if (!name.startsWith('bascule')) {
    const port = await freePort();
    const server = pinned(0, [...serverProfile, 'bench/collab/peer-server.js', name], { PORT: String(port) });
    await waitUntil(() => server.output().includes('listening'), `${name} to listen`);
    return {
      server,
      stop: () => stopServer(server),
      target: { kind: name, url: `ws://127.0.0.1:${port}` },
      rooms: (n, prefix) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`),
    };
  }
  const {
    server,
    env,
    base,
    token: secret,
    signIn,
    stop,
  } = await startBascule({
    postgres: name === 'bascule-postgres',
  });
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
  return {
    server,
    stop,
    env,
    target: { kind: 'bascule', url: `${base.replace(/^http/, 'ws')}/collab`, token: secret },
    rooms,
    // S4 is a person opening a plan: the browser's credential, a session's access token.
    asPerson: async (target) => ({ ...target, token: await signIn() }),
  };
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
  return resultOf(generator, scenario);
}

/** The `{"result": ...}` line a measuring process wrote last, once it has exited (it failed otherwise). */
async function resultOf(measurer, what) {
  const code = await new Promise((resolve) => measurer.child.on('exit', resolve));
  const last = measurer
    .output()
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{"result"'))
    .pop();
  if (code !== 0 || last === undefined) throw new Error(`${what} failed:\n${measurer.output()}`);
  return JSON.parse(last).result;
}

/** For S1 and S2: once the generator's clients are in, go when the server is quiet (then `onGo`). */
function goWhenQuiet(pid, onGo = () => undefined) {
  return async (line, child) => {
    if (line.ready === undefined) return;
    await quiet(pid);
    onGo();
    child.stdin.write('go\n');
  };
}

async function measure(name) {
  const started = await startTarget(name);
  const { server, target } = started;
  const pid = server.child.pid;
  const result = { server: name };
  try {
    if (scenarios.includes('S1')) {
      const s1Rooms = await started.rooms(params.S1.plans, 's1');
      const rounds = [];
      for (let round = 0; round < params.S1.rounds; round += 1) {
        let cpuBefore = cpuSeconds(pid);
        const s1 = await load(
          'S1',
          target,
          { ...params.S1, plans: s1Rooms },
          goWhenQuiet(pid, () => (cpuBefore = cpuSeconds(pid))),
        );
        rounds.push({
          ...s1,
          serverCpuPercent: Math.round(((cpuSeconds(pid) - cpuBefore) / (params.S1.seconds + 1.5)) * 100),
        });
      }
      // One round's p99 rests on its hundred slowest deliveries, and moved by 1.5x between runs of
      // one build here: each figure is the median of the rounds' own, every round kept beside them.
      const median = (pick) => rounds.map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
      result.S1 = {
        delivered: rounds.reduce((sum, round) => sum + round.delivered, 0),
        expected: rounds.reduce((sum, round) => sum + round.expected, 0),
        p50: median((round) => round.p50),
        p99: median((round) => round.p99),
        serverCpuPercent: median((round) => round.serverCpuPercent),
        rounds,
      };
    }
    if (scenarios.includes('S2')) {
      result.S2 = [];
      for (const clients of params.S2.clients) {
        // What the scenario before left to do (compacting and projecting its plans) is not this one's.
        await quiet(pid);
        const [room] = await started.rooms(1, `s2-${clients}`);
        try {
          const s2 = await load(
            'S2',
            target,
            { room, clients, rates: params.S2.rates, stepSeconds: params.S2.stepSeconds },
            goWhenQuiet(pid),
          );
          result.S2.push({
            clients,
            writers: s2.writers,
            kneeUpdatesPerSecond: s2.kneeUpdatesPerSecond,
            lastStep: s2.lastStep,
            steps: s2.steps.map(({ updatesPerSecond, p50, p99, max }) => ({ updatesPerSecond, p50, p99, max })),
          });
        } catch (error) {
          // Reported, not hidden: a scenario a server cannot complete is a result too.
          result.S2.push({ clients, error: error.message.split('\n').slice(0, 3).join(' ') });
        }
      }
    }
    if (scenarios.includes('S3')) {
      await quiet(pid);
      const s3Rooms = await started.rooms(params.S3.plans, 's3');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const rssBefore = rssKiB(pid);
      let rssLoaded = rssBefore;
      await load('S3', target, { ...params.S3, plans: s3Rooms }, (line, child) => {
        if (line.loaded !== undefined) {
          rssLoaded = rssKiB(pid);
          result.S3 = {
            plans: line.loaded,
            kibPerLoadedPlan: Math.round(((rssLoaded - rssBefore) / line.loaded) * 10) / 10,
          };
        }
        if (line.ready !== undefined) {
          const added = line.ready - result.S3.plans;
          result.S3.connections = line.ready;
          result.S3.kibPerConnection = Math.round(((rssKiB(pid) - rssLoaded) / added) * 10) / 10;
        }
        child.stdin.write('go\n');
      });
    }
    if (scenarios.includes('S4')) {
      await quiet(pid);
      const [s4Room] = await started.rooms(1, 's4');
      const stored = name.startsWith('bascule');
      const person = stored ? await started.asPerson(target) : target;
      const first = await load('S4', person, { ...params.S4, room: s4Room, write: true, keepWriter: !stored });
      result.S4 = {
        beforeCompactionMs: Math.round(first.firstSyncMs),
        beforeCompactionRangeMs: first.firstSyncRangeMs.map(Math.round),
        beforeCompactionTimesMs: first.firstSyncTimesMs.map(Math.round),
      };
      if (stored) {
        // Compaction leaves the rows whose changes the audit trail has not recorded yet (within a second).
        await new Promise((resolve) => setTimeout(resolve, 1500));
        execFileSync(process.execPath, ['apps/server/dist/cli.js', 'compact'], {
          cwd: root,
          env: { ...process.env, ...started.env },
        });
        const after = await load('S4', person, { ...params.S4, room: s4Room, write: false });
        result.S4.afterCompactionMs = Math.round(after.firstSyncMs);
        result.S4.afterCompactionRangeMs = after.firstSyncRangeMs.map(Math.round);
        result.S4.afterCompactionTimesMs = after.firstSyncTimesMs.map(Math.round);
      }
    }
  } finally {
    await started.stop();
  }
  return result;
}

/**
 * What PostgreSQL alone takes to commit an append at S1's rate: an INSERT shaped like Bascule's, from
 * a process on the server's core, each waiting for its commit as Bascule does before it broadcasts.
 * The floor under Bascule's S1 latency on PostgreSQL, measured in the same run.
 */
async function commitFloor() {
  const database = freshPostgres();
  try {
    const floor = pinned(0, ['bench/collab/commit-floor.js'], {
      DATABASE_URL: database.url,
      RATE: String(params.S1.plans * params.S1.rate),
      SECONDS: String(params.S1.seconds),
    });
    return await resultOf(floor, 'the commit floor');
  } finally {
    database.drop();
  }
}

const names = (process.env.BENCH_SERVERS ?? 'raw,ywss,hocuspocus,bascule-sqlite,bascule-postgres').split(',');
const results = [];
for (const name of names) {
  process.stderr.write(`benchmarking ${name}...\n`);
  const result = await measure(name);
  process.stderr.write(`${JSON.stringify(result)}\n`);
  results.push(result);
}
if (names.includes('bascule-postgres') && scenarios.includes('S1')) {
  const floor = { server: 'postgres-commit', commit: await commitFloor() };
  process.stderr.write(`${JSON.stringify(floor)}\n`);
  results.push(floor);
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
    's1 p50 ms': (r.S1?.p50 ?? r.commit?.p50)?.toFixed(2),
    's1 p99 ms': (r.S1?.p99 ?? r.commit?.p99)?.toFixed(2),
    's1 delivered': r.S1 === undefined ? undefined : `${r.S1.delivered}/${r.S1.expected}`,
    's1 cpu %': r.S1?.serverCpuPercent,
    's3 KiB/plan': r.S3?.kibPerLoadedPlan,
    's3 KiB/conn': r.S3?.kibPerConnection,
    's4 sync ms': r.S4?.beforeCompactionMs,
    's4 after compaction ms': r.S4?.afterCompactionMs,
    's2 knee (updates/s) at 50/100/250 clients': r.S2?.map(
      (step) => step.kneeUpdatesPerSecond ?? `>${step.lastStep.updatesPerSecond}`,
    ).join(' / '),
  })),
);

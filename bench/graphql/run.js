// GraphQL benchmark: a dashboard query over many plans, through GraphQL and through a plain JSON
// endpoint of the same server returning the same payload (the limit), Bascule pinned to core 0, load
// from core 1; and, for scale, a server that answers the same bytes without any work. Usage:
// npm run bench:graphql
// Env: BENCH_PLANS (100), BENCH_LARGE_PLANS (1000 plans in all for the large portfolio; 0 leaves it
// out), BENCH_DATABASES (sqlite,postgres), BENCH_OUTPUT (bench/graphql/results.json), BENCH_PROFILE (a
// directory for a CPU profile of the server).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addDays, createEntry, dayOf } from '../../libs/plan-model/dist/index.js';
import { freePort, json, pinned, quiet, root, startBascule, stopServer, waitUntil } from '../support.js';

const PLANS = Number(process.env.BENCH_PLANS ?? 100);
const SIZES = { milestones: 30, risks: 20, checkpoints: 40 };
const LOAD = { clients: 20, seconds: 10, warmupSeconds: 2 };
/** The large portfolio: BENCH_LARGE_PLANS plans in all (0 to leave it out), five clients. */
const LARGE = Number(process.env.BENCH_LARGE_PLANS ?? 1000);
const LARGE_LOAD = { clients: 5, seconds: 10, warmupSeconds: 2 };
const QUERY = `{
  portfolio {
    planCount byStatus { status count } byRag { rag count } averageProgress riskExposure overdueMilestoneCount
    overdueMilestones { plan { id title } milestone { title dueDate slipDays } }
    topRisks { plan { id title } risk { title score } }
    readinessByFramework { framework total readiness }
  }
  plans(first: 100, orderBy: { field: RISK_EXPOSURE, direction: DESC }) {
    totalCount
    edges { node { id title status rag progress slippageDays overdueCount riskExposure readiness
      targetOffer { name secNumCloudStatus } nextMilestone { title dueDate } } }
  }
}`;
const FRAMEWORKS = ['SECNUMCLOUD_3_2', 'HDS', 'GDPR', 'NIS2', 'REVERSIBILITY'];

// Each y-websocket provider adds an `exit` listener to this process, and plans are filled many at once.
process.setMaxListeners(0);

/** A stock y-websocket client on a plan, synced. */
async function openDocument(base, token, planId) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/collab`, planId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket,
    disableBc: true,
  });
  await new Promise((resolve) => provider.once('sync', resolve));
  return { doc, provider };
}

/** Fills a plan's document through the collab socket, as a browser would, in one transaction. */
async function fill(base, token, planId, index) {
  const { doc, provider } = await openDocument(base, token, planId);
  const today = dayOf(new Date());
  doc.transact(() => {
    const milestones = [];
    for (let m = 0; m < SIZES.milestones; m += 1) {
      const due = addDays(today, (m - 10) * 7 + (index % 5));
      milestones.push(
        createEntry(doc, 'milestones', {
          title: `Milestone ${m}`,
          kind: m === SIZES.milestones - 2 ? 'CUTOVER' : 'WAVE',
          status: m < 8 ? 'DONE' : m < 12 ? 'IN_PROGRESS' : 'NOT_STARTED',
          dueDate: due,
          completedOn: m < 8 ? due : null,
          dependsOn: m > 0 ? [milestones[m - 1]] : [],
        }),
      );
    }
    for (let r = 0; r < SIZES.risks; r += 1)
      createEntry(doc, 'risks', {
        title: `Risk ${r}`,
        likelihood: 1 + ((r + index) % 5),
        impact: 1 + ((r * 3 + index) % 5),
      });
    for (let c = 0; c < SIZES.checkpoints; c += 1)
      createEntry(doc, 'checkpoints', {
        title: `Checkpoint ${c}`,
        framework: FRAMEWORKS[c % FRAMEWORKS.length],
        status: ['TODO', 'IN_REVIEW', 'PASSED', 'WAIVED'][(c + index) % 4],
        milestoneIds: [milestones[c % SIZES.milestones]],
      });
  });
  await waitUntil(async () => {
    const answer = await json(`${base}/graphql`, { query: `{ plan(id: "${planId}") { checkpointCount } }` }, token);
    return answer.data?.plan?.checkpointCount === SIZES.checkpoints;
  }, `plan ${planId} to be projected`);
  provider.destroy();
  doc.destroy();
}

/**
 * Time from a browser-like edit (a Yjs client renames a milestone) to the projected plan reaching a
 * GraphQL subscriber, `EDITS` times, one edit at a time: the projection lag a dashboard sees.
 */
async function projectionLag(base, token, planId) {
  const EDITS = 40;
  const { doc, provider } = await openDocument(base, token, planId);
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  let waiting = null;
  const dispose = client.subscribe(
    { query: `subscription { planChanged(id: "${planId}") { title } }` },
    { next: (result) => waiting?.(result.data?.planChanged.title), error: () => undefined, complete: () => undefined },
  );
  const lags = [];
  try {
    for (let edit = 0; edit < EDITS; edit += 1) {
      const title = `Renamed ${edit}`;
      const seen = new Promise((resolve) => (waiting = (got) => got === title && resolve()));
      const started = performance.now();
      doc.getMap('plan').set('title', title);
      await Promise.race([
        seen,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no event in 10 s')), 10_000)),
      ]);
      lags.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    dispose();
    await client.dispose();
    provider.destroy();
  }
  lags.sort((a, b) => a - b);
  return { edits: EDITS, p50: lags[Math.floor(EDITS / 2)], p99: lags[EDITS - 1], max: lags[EDITS - 1] };
}

/** Plans `from` to `to` - 1 created through GraphQL, then filled through the collab socket, ten at a time. */
async function addPlans(base, token, from, to) {
  const planIds = [];
  for (let i = from; i < to; i += 1) {
    const created = await json(
      `${base}/graphql`,
      {
        query: `mutation($t: String!) { createPlan(input: { title: $t, status: ACTIVE, targetOfferId: "${i % 3 === 0 ? 'bleu' : 'outscale-iaas'}", dataSensitivity: SENSITIVE, targetDate: "${addDays(dayOf(new Date()), 90 + i)}" }) { id } }`,
        variables: { t: `Plan ${String(i).padStart(4, '0')}` },
      },
      token,
    );
    planIds.push(created.data.createPlan.id);
  }
  for (let i = 0; i < planIds.length; i += 10)
    await Promise.all(planIds.slice(i, i + 10).map((planId, offset) => fill(base, token, planId, from + i + offset)));
  return planIds;
}

/**
 * The dashboard's first answer after a change, when nothing is in memory: `times` times, a plan's
 * description is changed through GraphQL (the mutation returns once the plan is projected and the
 * change announced), then one dashboard request is timed.
 */
async function firstReadsAfterChange(base, token, planId, body, times) {
  const took = [];
  for (let round = 0; round < times; round += 1) {
    const changed = await json(
      `${base}/graphql`,
      { query: `mutation { updatePlan(id: "${planId}", input: { description: "round ${round}" }) { id } }` },
      token,
    );
    if (changed.errors !== undefined) throw new Error(JSON.stringify(changed.errors));
    const started = performance.now();
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const parsed = await answer.json();
    if (parsed.errors !== undefined) throw new Error(JSON.stringify(parsed.errors));
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  return { reads: times, p50: took[Math.floor(times / 2)], max: took[times - 1] };
}

async function load(url, body, token, settings = LOAD) {
  const generator = pinned(1, ['bench/graphql/load.js', JSON.stringify({ url, body, token, ...settings })]);
  const code = await new Promise((done) => generator.child.on('exit', done));
  const line = generator.output().trim().split('\n').pop();
  if (code !== 0 || !line?.startsWith('{')) throw new Error(`load failed:\n${generator.output()}`);
  return JSON.parse(line);
}

async function measure(database) {
  const bascule = await startBascule({
    postgres: database === 'postgres',
    script: 'bench/graphql/server.js',
  });
  try {
    const { base, token } = bascule;
    const planIds = await addPlans(base, token, 0, PLANS);
    await quiet(bascule.server.child.pid);
    const body = JSON.stringify({ query: QUERY });
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    const parsed = JSON.parse(bytes.toString());
    if (parsed.errors !== undefined || parsed.data.portfolio.planCount !== PLANS)
      throw new Error(`unexpected answer: ${bytes.toString().slice(0, 500)}`);
    const plainAnswer = await (
      await fetch(`${base}/bench/dashboard`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    ).json();
    if (JSON.stringify(plainAnswer) !== JSON.stringify(parsed))
      throw new Error('the plain endpoint does not answer the same payload as GraphQL');
    const graphql = await load(`${base}/graphql`, body, token);
    const plainEndpoint = await load(`${base}/bench/dashboard`, '{}', token);
    const lag = await projectionLag(base, token, planIds[0]);
    const firstReads = await firstReadsAfterChange(base, token, planIds[1], body, 20);

    // The same dashboard over LARGE plans (the page still holds 100), five clients.
    let large = null;
    if (LARGE > PLANS) {
      process.stderr.write(`adding ${LARGE - PLANS} plans...\n`);
      await addPlans(base, token, PLANS, LARGE);
      await quiet(bascule.server.child.pid);
      large = {
        plans: LARGE,
        graphql: await load(`${base}/graphql`, body, token, LARGE_LOAD),
        firstReadsAfterChange: await firstReadsAfterChange(base, token, planIds[1], body, 20),
      };
    }

    const file = join(mkdtempSync(join(tmpdir(), 'bascule-bench-')), 'answer.json');
    writeFileSync(file, bytes);
    const port = await freePort();
    const plain = pinned(0, ['bench/graphql/plain-server.js', file], { PORT: String(port) });
    try {
      await waitUntil(() => plain.output().includes('listening'), 'plain server to listen');
      const limit = await load(`http://127.0.0.1:${port}/`, body, null);
      return {
        database,
        plans: PLANS,
        sizes: SIZES,
        answerBytes: bytes.length,
        graphql,
        plainEndpoint,
        ratio: graphql.perSecond / plainEndpoint.perSecond,
        staticBytes: limit,
        projectionLag: lag,
        firstReadsAfterChange: firstReads,
        large,
      };
    } finally {
      await stopServer(plain);
    }
  } finally {
    await bascule.stop();
  }
}

const results = [];
for (const database of (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',')) {
  process.stderr.write(`benchmarking GraphQL on ${database}...\n`);
  const result = await measure(database);
  process.stderr.write(`${JSON.stringify(result)}\n`);
  results.push(result);
}
writeFileSync(
  resolve(root, process.env.BENCH_OUTPUT ?? 'bench/graphql/results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), load: LOAD, query: QUERY, results }, null, 2)}\n`,
);
// The table is the point of a benchmark run.
// eslint-disable-next-line no-console
console.table(
  results.map((r) => ({
    database: r.database,
    'GraphQL req/s': r.graphql.perSecond.toFixed(0),
    'GraphQL p50 ms': r.graphql.p50.toFixed(1),
    'GraphQL p99 ms': r.graphql.p99.toFixed(1),
    'plain endpoint req/s': r.plainEndpoint.perSecond.toFixed(0),
    'plain p99 ms': r.plainEndpoint.p99.toFixed(1),
    'ratio GraphQL/plain': r.ratio.toFixed(2),
    'static bytes req/s': r.staticBytes.perSecond.toFixed(0),
    'projection lag p50/max ms': `${r.projectionLag.p50.toFixed(0)} / ${r.projectionLag.max.toFixed(0)}`,
    'first read after a change p50/max ms': `${r.firstReadsAfterChange.p50.toFixed(0)} / ${r.firstReadsAfterChange.max.toFixed(0)}`,
    'large: plans, req/s, p99 ms, first read p50/max':
      r.large === null
        ? '-'
        : `${r.large.plans}, ${r.large.graphql.perSecond.toFixed(0)}, ${r.large.graphql.p99.toFixed(1)}, ${r.large.firstReadsAfterChange.p50.toFixed(0)} / ${r.large.firstReadsAfterChange.max.toFixed(0)}`,
    failures: r.graphql.failures + r.plainEndpoint.failures + r.staticBytes.failures,
  })),
);
// Clients' reconnect timers must not keep the run alive once the results are written.
process.exit(0);

// Live runbook benchmark: does the live view of a 500-task runbook stay interactive while it runs?
// In headless Chromium, the same live view of a 50-task runbook is the peer (same server, same run),
// and a frame budget (16.7 ms at 60 Hz) and the 100 ms of a response felt as instant are the floors.
// For each size: how long the live view takes to show every task once its runbook is clicked; for
// 10 seconds of the clock ticking (the view recomputes lateness every second) with another client
// starting and finishing tasks, the main thread's long tasks (> 50 ms) and frame intervals; how long
// a task started by that other client takes to show as running on the page.
// Usage: npm run bench:runbook. Env: BENCH_SAMPLES (6, at most 7), BENCH_OUTPUT (bench/web/results-runbook.json),
// BASCULE_CHROMIUM (/usr/bin/chromium).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEntry } from '@bascule/plan-model';
import { chromium } from 'playwright-core';
import { openClient, waitFor } from '../collab/clients.js';
import { json, root, startBascule } from '../support.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 6);
const CHROMIUM = process.env.BASCULE_CHROMIUM ?? '/usr/bin/chromium';
const STAGES = ['FREEZE', 'BACKUP', 'MIGRATE', 'VALIDATE', 'SWITCH', 'HYPERCARE'];
const CHAIN = 8;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

/**
 * A running runbook of `size` tasks: each stage in parallel chains of 8, a go / no-go point at the
 * end of each stage but the last (passed by the plan's owner), T0 40 minutes ago so that some tasks
 * are late; returns the plan, the runbook, the writer's client and the tasks it will run (the first
 * chain of the first stage: seven tasks before its go / no-go point, even at 50 tasks).
 */
async function runningRunbook(base, token, size) {
  const plan = await json(
    `${base}/graphql`,
    { query: `mutation { createPlan(input: { title: "Runbook ${size}" }) { id } }` },
    token,
  );
  const planId = plan.data.createPlan.id;
  const client = await openClient({ kind: 'bascule', url: `${base.replace(/^http/, 'ws')}/collab`, token }, planId);
  const perStage = Math.floor(size / STAGES.length);
  let runbookId;
  const first = [];
  client.doc.transact(() => {
    runbookId = createEntry(client.doc, 'runbooks', {
      title: `Runbook ${size}`,
      t0: new Date(Date.now() - 40 * 60_000).toISOString(),
    });
    let made = 0;
    for (const [index, stage] of STAGES.entries()) {
      const count = index === STAGES.length - 1 ? size - made : perStage;
      let previous = null;
      for (let i = 0; i < count; i += 1) {
        const last = i === count - 1 && index < STAGES.length - 1;
        const id = createEntry(client.doc, 'runbookTasks', {
          runbookId,
          title: last ? `Go / no-go ${stage}` : `${stage} task ${i}`,
          kind: last ? 'DECISION' : 'TASK',
          stage,
          team: `Team ${i % 5}`,
          duration: 10 + (i % 7) * 5,
          dependsOn: i % CHAIN === 0 || previous === null ? [] : [previous],
        });
        // The first chain of the first stage, run task after task by the other client.
        if (index === 0 && i < CHAIN - 1) first.push(id);
        previous = id;
        made += 1;
      }
    }
  });
  client.doc.getMap('runbooks').get(runbookId).set('state', 'RUNNING');
  await waitFor(() => typeof client.doc.getMap('runbooks').get(runbookId).get('startedAt') === 'string', 30_000);
  return { planId, runbookId, client, startable: first };
}

async function measure(browser, base, session, setup, size) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/health/live`);
  await page.evaluate((value) => localStorage.setItem('bascule.session', value), session);
  await page.goto(`${base}/plans/${setup.planId}`);
  await page.locator('#tab-runbooks').click();
  const started = Date.now();
  await page.getByTestId('runbook-item').first().click();
  await page.waitForFunction(
    (count) => globalThis.document.querySelectorAll('[data-testid="live-task"]').length === count,
    size,
    { timeout: 60_000, polling: 'raf' },
  );
  const openMs = Date.now() - started;

  // Ten seconds of the clock ticking while another client runs tasks: long tasks and frame gaps.
  await page.evaluate(() => {
    const state = { longTasks: [], frames: [], last: performance.now(), running: true };
    globalThis.__bench = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
    const frame = (now) => {
      state.frames.push(now - state.last);
      state.last = now;
      if (state.running) globalThis.requestAnimationFrame(frame);
    };
    globalThis.requestAnimationFrame(frame);
  });
  const latencies = [];
  const tasks = setup.client.doc.getMap('runbookTasks');
  for (const id of setup.startable.slice(0, SAMPLES)) {
    const written = Date.now();
    tasks.get(id).set('status', 'RUNNING');
    await page.waitForFunction(
      (taskId) =>
        globalThis.document.querySelector(`[data-testid="live-task"][data-task-id="${taskId}"]`)?.dataset.status ===
        'RUNNING',
      id,
      { timeout: 30_000, polling: 'raf' },
    );
    latencies.push(Date.now() - written);
    await new Promise((done) => setTimeout(done, 10_000 / SAMPLES));
    // Done, so that the next task of the chain may start.
    tasks.get(id).set('status', 'DONE');
    await waitFor(() => typeof tasks.get(id).get('endedAt') === 'string', 30_000);
  }
  const { longTasks, frames } = await page.evaluate(() => {
    globalThis.__bench.running = false;
    return { longTasks: globalThis.__bench.longTasks, frames: globalThis.__bench.frames.slice(1) };
  });
  await context.close();
  return {
    tasks: size,
    openMs,
    remoteStartMedianMs: median(latencies),
    remoteStartMaxMs: Math.max(...latencies),
    longTasks: longTasks.length,
    longTaskTotalMs: Math.round(longTasks.reduce((sum, value) => sum + value, 0)),
    longTaskMaxMs: Math.round(Math.max(0, ...longTasks)),
    frameP95Ms: Math.round(percentile(frames, 0.95) * 10) / 10,
    frameMaxMs: Math.round(Math.max(...frames) * 10) / 10,
    frames: frames.length,
  };
}

const { base, tokens, stop } = await startBascule();
try {
  const session = JSON.stringify({ ...tokens });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // A first run, not recorded, so that neither size pays for the browser's and the server's warm-up.
  const warmUp = await runningRunbook(base, tokens.accessToken, 50);
  await measure(browser, base, session, warmUp, 50);
  warmUp.client.close();
  const results = [];
  for (const size of [50, 500]) {
    const setup = await runningRunbook(base, tokens.accessToken, size);
    results.push(await measure(browser, base, session, setup, size));
    setup.client.close();
  }
  await browser.close();
  const [peer, big] = results;
  const result = {
    date: new Date().toISOString(),
    samples: SAMPLES,
    peer,
    measured: big,
    ratios: {
      openMs: Math.round((big.openMs / peer.openMs) * 100) / 100,
      remoteStartMedianMs: Math.round((big.remoteStartMedianMs / peer.remoteStartMedianMs) * 100) / 100,
      frameP95Ms: Math.round((big.frameP95Ms / peer.frameP95Ms) * 100) / 100,
    },
  };
  writeFileSync(
    resolve(root, process.env.BENCH_OUTPUT ?? 'bench/web/results-runbook.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  // The figures are the point of a benchmark run.
  // eslint-disable-next-line no-console
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stop();
}

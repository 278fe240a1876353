// Web client benchmark: how long a large plan (100 milestones, 100 risks, 200 checkpoints) takes to
// become interactive in headless Chromium, against a blank page from the same server (the floor), and
// how much JavaScript the first screen and the editor ship, compressed. Usage: npm run bench:web
// Env: BENCH_RUNS (5), BENCH_OUTPUT (bench/web/results.json), BASCULE_CHROMIUM (/usr/bin/chromium).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createEntry } from '@bascule/plan-model';
import { chromium } from 'playwright-core';
import { openClient } from '../collab/clients.js';
import { json, root, startBascule } from '../support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.BASCULE_CHROMIUM ?? '/usr/bin/chromium';
const FRAMEWORKS = ['SECNUMCLOUD_3_2', 'HDS', 'GDPR', 'NIS2'];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Compressed size of the JavaScript index.html loads at once (entry and preloads), and of each lazy chunk. */
function bundleSizes() {
  const dist = join(root, 'apps/web/dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const kib = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;
  const chunk = (prefix) => {
    const name = readFileSync(join(dist, '.vite/manifest.json'), 'utf8');
    const manifest = JSON.parse(name);
    const entry = Object.values(manifest).find((value) => value.file.startsWith(`assets/${prefix}-`));
    return entry === undefined ? null : Math.round(kib(entry.file) * 10) / 10;
  };
  return {
    firstScreenKiB: Math.round(initial.reduce((sum, file) => sum + kib(file), 0) * 10) / 10,
    firstScreenFiles: initial.length,
    editorChunkKiB: chunk('PlanEditor'),
    notesChunkKiB: chunk('Notes'),
    adminChunkKiB: chunk('Admin'),
  };
}

async function bigPlan(base, token) {
  const plan = await json(
    `${base}/graphql`,
    { query: 'mutation { createPlan(input: { title: "Bench plan" }) { id } }' },
    token,
  );
  const planId = plan.data.createPlan.id;
  const client = await openClient({ kind: 'bascule', url: `${base.replace(/^http/, 'ws')}/collab`, token }, planId);
  client.doc.transact(() => {
    for (let i = 0; i < 100; i += 1)
      createEntry(client.doc, 'milestones', {
        title: `Milestone ${i}`,
        startDate: `2027-${String((i % 12) + 1).padStart(2, '0')}-01`,
        dueDate: `2027-${String((i % 12) + 1).padStart(2, '0')}-20`,
      });
    for (let i = 0; i < 100; i += 1)
      createEntry(client.doc, 'risks', { title: `Risk ${i}`, likelihood: (i % 5) + 1, impact: ((i * 3) % 5) + 1 });
    for (let i = 0; i < 200; i += 1)
      createEntry(client.doc, 'checkpoints', {
        title: `Checkpoint ${i}`,
        framework: FRAMEWORKS[i % FRAMEWORKS.length],
      });
  });
  // Stored before we go: the durable acknowledgement follows the append.
  await new Promise((done) => setTimeout(done, 1500));
  client.close();
  return planId;
}

const { base, tokens, stop } = await startBascule();
try {
  const planId = await bigPlan(base, tokens.accessToken);
  const session = JSON.stringify({ ...tokens });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const cold = [];
  const warm = [];
  const blank = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    let started = Date.now();
    await page.goto(`${base}/health/live`);
    blank.push(Date.now() - started);
    await page.evaluate((value) => localStorage.setItem('bascule.session', value), session);
    // Interactive: the plan is on screen (its first milestone rows) and takes input (the title field
    // takes the focus, and the page paints a frame: no long task holds the main thread). Complete:
    // every one of the 100 rows is built (the rest arrive in interruptible renders after the first).
    const interactive = async () => {
      started = Date.now();
      await page.goto(`${base}/plans/${planId}`, { waitUntil: 'commit' });
      await page.getByTestId('milestone-row').first().waitFor({ timeout: 30_000 });
      await page.getByLabel('Plan title').focus();
      await page.evaluate(() => new Promise((done) => globalThis.requestAnimationFrame(() => done(undefined))));
      const ready = Date.now() - started;
      await page.waitForFunction(
        () => globalThis.document.querySelectorAll('[data-testid="milestone-row"]').length === 100,
        null,
        { timeout: 30_000, polling: 'raf' },
      );
      return { ready, complete: Date.now() - started };
    };
    cold.push(await interactive());
    warm.push(await interactive());
    await context.close();
  }
  await browser.close();
  const result = {
    date: new Date().toISOString(),
    plan: { milestones: 100, risks: 100, checkpoints: 200 },
    runs: RUNS,
    blankPageMs: median(blank),
    coldInteractiveMs: median(cold.map((run) => run.ready)),
    warmInteractiveMs: median(warm.map((run) => run.ready)),
    coldCompleteMs: median(cold.map((run) => run.complete)),
    warmCompleteMs: median(warm.map((run) => run.complete)),
    coldSamples: cold,
    warmSamples: warm,
    ...bundleSizes(),
  };
  writeFileSync(
    resolve(root, process.env.BENCH_OUTPUT ?? 'bench/web/results.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  // The figures are the point of a benchmark run.
  // eslint-disable-next-line no-console
  console.table(result);
} finally {
  await stop();
}

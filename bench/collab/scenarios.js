// The load generator: one scenario against one running server, results as one JSON line.
import { openClient, waitFor } from './clients.js';

const now = () => performance.timeOrigin + performance.now();

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** S1: `plans` rooms of 3 clients; one writer per room at `rate` updates/s; fan-out latency at the others. */
async function s1(target, { plans, rate, seconds }) {
  const rooms = [];
  for (const room of plans) {
    const clients = [];
    for (let i = 0; i < 3; i += 1) clients.push(await openClient(target, room));
    rooms.push(clients);
  }
  const latencies = [];
  let expected = 0;
  for (const [, ...receivers] of rooms) {
    for (const receiver of receivers) {
      receiver.doc.getMap('bench').observe((event) => {
        if (event.transaction.local) return;
        const sent = receiver.doc.getMap('bench').get('t');
        if (typeof sent === 'number') latencies.push(now() - sent);
      });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const deadline = Date.now() + seconds * 1000;
  const interval = 1000 / rate;
  await Promise.all(
    rooms.map(async ([writer], index) => {
      await new Promise((resolve) => setTimeout(resolve, (index * interval) / rooms.length));
      while (Date.now() < deadline) {
        writer.doc.getMap('bench').set('t', now());
        expected += 2;
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const clients of rooms) for (const client of clients) client.close();
  latencies.sort((a, b) => a - b);
  return { delivered: latencies.length, expected, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** S3: `connections` idle clients spread over the rooms; the server's memory is read by run.js. */
async function s3(target, { plans, connections }) {
  const clients = [];
  for (let i = 0; i < connections; i += 1) clients.push(await openClient(target, plans[i % plans.length]));
  process.stdout.write(`${JSON.stringify({ ready: clients.length })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  for (const client of clients) client.close();
  return { connections: clients.length };
}

/**
 * S4: a room holding `updates` separate updates; the time for a new client to hold all of it (median
 * of 3). Servers without storage keep the room only while a client stays: `keepWriter` keeps one.
 */
async function s4(target, { room, updates, write, keepWriter }) {
  let writer;
  if (write) {
    writer = await openClient(target, room);
    const items = writer.doc.getArray('items');
    for (let i = 0; i < updates; i += 1) {
      items.push([`item ${i}`]);
      if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (!keepWriter) {
      writer.close();
      writer = undefined;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const times = [];
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    const client = await openClient(target, room);
    await waitFor(() => client.doc.getArray('items').length >= updates, 60_000);
    times.push(performance.now() - started);
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  writer?.close();
  times.sort((a, b) => a - b);
  return { firstSyncMs: times[1] };
}

const [scenario, targetJson, paramsJson] = process.argv.slice(2);
const run = { S1: s1, S3: s3, S4: s4 }[scenario];
run(JSON.parse(targetJson), JSON.parse(paramsJson)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ result })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);

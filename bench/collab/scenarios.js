// The load generator: one scenario against one running server, results as one JSON line.
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { openClient, waitFor } from './clients.js';

const now = () => performance.timeOrigin + performance.now();

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Says the clients are in, and waits for run.js to say go: it does once the server is quiet again,
 * so that what a server does when many clients join (S4's subject) is not charged to the latencies.
 */
async function readyThenGo(ready) {
  process.stdout.write(`${JSON.stringify({ ready })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
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
  const sentAt = [];
  let expected = 0;
  for (const [, ...receivers] of rooms) {
    for (const receiver of receivers) {
      receiver.doc.getMap('bench').observe((event) => {
        if (event.transaction.local) return;
        const sent = receiver.doc.getMap('bench').get('t');
        if (typeof sent !== 'number') return;
        latencies.push(now() - sent);
        sentAt.push(sent);
      });
    }
  }
  await readyThenGo(rooms.length);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const start = now();
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
  // p99 of each 5 s of the run, by when the change was made: how it moves as the server warms up.
  const windows = [];
  latencies.forEach((latency, index) => (windows[Math.floor((sentAt[index] - start) / 5000)] ??= []).push(latency));
  const p99By5s = windows.map((window) =>
    percentile(
      window.sort((a, b) => a - b),
      99,
    ),
  );
  latencies.sort((a, b) => a - b);
  return {
    delivered: latencies.length,
    expected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p99By5s,
  };
}

/** S3: `connections` idle clients spread over the rooms; the server's memory is read by run.js. */
async function s3(target, { plans, connections }) {
  const clients = [];
  const waitForGo = () => new Promise((resolve) => process.stdin.once('data', resolve));
  // First one client per plan (every plan loaded), then the rest: memory per plan, then per connection.
  for (const plan of plans) clients.push(await openClient(target, plan));
  process.stdout.write(`${JSON.stringify({ loaded: clients.length })}\n`);
  await waitForGo();
  for (let i = clients.length; i < connections; i += 1) clients.push(await openClient(target, plans[i % plans.length]));
  process.stdout.write(`${JSON.stringify({ ready: clients.length })}\n`);
  await waitForGo();
  for (const client of clients) client.close();
  return { connections: clients.length };
}

/**
 * S4: a room holding `updates` separate updates; the time for a new client to hold all of it (median
 * of 15, each new client after the last left: single loads vary by 2x on this machine, and the
 * median of 7 moved by a third between runs of the same build). Servers without storage keep the
 * room only while a client stays: `keepWriter` keeps one.
 */
const S4_LOADS = 15;

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
  for (let i = 0; i < S4_LOADS; i += 1) {
    const started = performance.now();
    const client = await openClient(target, room);
    await waitFor(() => client.doc.getArray('items').length >= updates, 60_000);
    times.push(performance.now() - started);
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  writer?.close();
  const inOrder = [...times];
  times.sort((a, b) => a - b);
  return {
    firstSyncMs: times[Math.floor(S4_LOADS / 2)],
    firstSyncRangeMs: [times[0], times[S4_LOADS - 1]],
    firstSyncTimesMs: inOrder,
  };
}

/**
 * A receiver that only counts the frames it gets, so that 250 of them do not make the load
 * generator the bottleneck. It joins the room the way the server's stock client does, minimally.
 */
async function openCounter(target, room) {
  const url =
    target.kind === 'hocuspocus'
      ? target.url
      : `${target.url}/${room}${target.token === undefined ? '' : `?token=${encodeURIComponent(target.token)}`}`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const counter = { frames: 0, close: () => ws.close() };
  ws.on('message', () => (counter.frames += 1));
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  if (target.kind === 'hocuspocus') {
    // Hocuspocus attaches a socket to a document after an auth message, then a sync step 1.
    const frame = (write) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, room);
      write(encoder);
      return encoding.toUint8Array(encoder);
    };
    ws.send(
      frame((e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, '');
      }),
    );
    ws.send(
      frame((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint8Array(e, new Uint8Array([0]));
      }),
    );
  }
  await waitFor(() => counter.frames > 0 || target.kind === 'raw', 10_000);
  return counter;
}

/**
 * S2: one room with `clients` clients, 10% writing, the per-writer rate raised step by step. The
 * knee is the first aggregate rate at which the probes' p99 passes 100 ms or a delivery is missed.
 */
async function s2(target, { room, clients, rates, stepSeconds }) {
  const writers = [];
  for (let i = 0; i < Math.max(1, Math.round(clients / 10)); i += 1) writers.push(await openClient(target, room));
  const probes = [];
  for (let i = 0; i < 5; i += 1) probes.push(await openClient(target, room));
  const counters = [];
  for (let i = writers.length + probes.length; i < clients; i += 1) counters.push(await openCounter(target, room));
  await readyThenGo(clients);
  let latencies = [];
  let seen = 0;
  for (const probe of probes) {
    probe.doc.getMap('bench').observe((event) => {
      if (event.transaction.local) return;
      for (const key of event.keysChanged) {
        const sent = probe.doc.getMap('bench').get(key);
        if (typeof sent === 'number') {
          latencies.push(now() - sent);
          seen += 1;
        }
      }
    });
  }
  const steps = [];
  for (const rate of rates) {
    latencies = [];
    seen = 0;
    const framesBefore = counters.map((counter) => counter.frames);
    const deadline = Date.now() + stepSeconds * 1000;
    let sent = 0;
    await Promise.all(
      writers.map(async (writer, index) => {
        const key = `w${index}`;
        await new Promise((resolve) => setTimeout(resolve, (index * 1000) / rate / writers.length));
        while (Date.now() < deadline) {
          writer.doc.getMap('bench').set(key, now());
          sent += 1;
          await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    latencies.sort((a, b) => a - b);
    const counted = counters.map((counter, index) => counter.frames - framesBefore[index]);
    const missed = seen < sent * probes.length || counted.some((frames) => frames < sent);
    const step = {
      updatesPerSecond: Math.round(sent / stepSeconds),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
      probeDelivered: seen,
      probeExpected: sent * probes.length,
      counterMinFrames: counted.length === 0 ? null : Math.min(...counted),
      knee: latencies.length === 0 || percentile(latencies, 99) > 100 || missed,
    };
    steps.push(step);
    if (step.knee) break;
  }
  for (const client of [...writers, ...probes, ...counters]) client.close();
  // The loop stops at the first step past the knee: the last step is it, if any is.
  const knee = steps.find((step) => step.knee);
  return {
    clients,
    writers: writers.length,
    kneeUpdatesPerSecond: knee?.updatesPerSecond ?? null,
    lastStep: steps[steps.length - 1],
    steps,
  };
}

const [scenario, targetJson, paramsJson] = process.argv.slice(2);
const run = { S1: s1, S2: s2, S3: s3, S4: s4 }[scenario];
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

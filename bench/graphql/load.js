// Load generator: `clients` loops POST the same request for `seconds` (after a warm-up), each waiting
// for its answer before the next, over kept-alive connections. Prints one JSON line: requests per
// second and latency percentiles. Usage: node load.js '{"url", "body", "token", "clients", "seconds", "warmupSeconds"}'
import { Agent, request } from 'node:http';

const { url, body, token, clients, seconds, warmupSeconds } = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const payload = Buffer.from(body);
const headers = {
  'content-type': 'application/json',
  'content-length': payload.length,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
};

function post() {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function loop(until, latencies) {
  let failures = 0;
  while (performance.now() < until) {
    const started = performance.now();
    const { status, text } = await post();
    if (status !== 200 || text.startsWith('{"errors"')) failures += 1;
    latencies?.push(performance.now() - started);
  }
  return failures;
}

const warmupEnd = performance.now() + warmupSeconds * 1000;
await Promise.all(Array.from({ length: clients }, () => loop(warmupEnd, null)));
const latencies = [];
const started = performance.now();
const runs = await Promise.all(Array.from({ length: clients }, () => loop(started + seconds * 1000, latencies)));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    failures: runs.reduce((a, b) => a + b, 0),
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  })}\n`,
);
agent.destroy();

// PostgreSQL's own time to commit one append, at a steady rate (RATE per second for SECONDS): an
// INSERT into a table shaped like plan_updates, each awaited before the next is due, as a server
// that stores an update before it sends it on. Prints {result: {count, p50, p99, max}}, in milliseconds.
import pg from 'pg';

const rate = Number(process.env.RATE ?? 250);
const seconds = Number(process.env.SECONDS ?? 20);
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query(`CREATE TABLE floor_updates (
  id BIGSERIAL PRIMARY KEY, plan_id UUID NOT NULL, data BYTEA NOT NULL, actor_id UUID, author TEXT,
  created_at TIMESTAMPTZ NOT NULL, audit_pending BOOLEAN NOT NULL)`);
await client.query('CREATE INDEX floor_updates_plan ON floor_updates (plan_id, id)');
await client.query('CREATE INDEX floor_updates_pending ON floor_updates (plan_id, id) WHERE audit_pending');
const plan = '6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f';
const data = Buffer.alloc(40, 1);
const author = JSON.stringify({ userId: plan, displayName: 'Bench', planRole: 'OWNER' });
const times = [];
const start = performance.now();
for (let i = 0; i < rate * seconds; i += 1) {
  const due = start + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const began = performance.now();
  await client.query(
    `INSERT INTO floor_updates (plan_id, data, actor_id, author, created_at, audit_pending)
     VALUES ($1, $2, $3, $4, $5, TRUE) RETURNING id`,
    [plan, data, plan, author, new Date()],
  );
  times.push(performance.now() - began);
}
await client.end();
times.sort((a, b) => a - b);
const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
process.stdout.write(
  `${JSON.stringify({ result: { count: times.length, p50: at(0.5), p99: at(0.99), max: at(1) } })}\n`,
);

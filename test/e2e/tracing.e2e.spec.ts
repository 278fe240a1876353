import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectClient, createPlan, eventually, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

interface ReceivedSpan {
  readonly scope: string;
  readonly name: string;
  readonly traceId: string;
}

/**
 * OpenTelemetry against the server as a process: an OTLP/HTTP receiver started by the test gets
 * the spans of a traced request (HTTP, GraphQL, the database on PostgreSQL) under the caller's
 * trace id, and the collab spans; the request's log line carries the same trace id.
 */
describe(`tracing over OTLP (${suiteDialect()})`, () => {
  let receiver: Server;
  let environment: ServerEnvironment;
  let server: ServerProcess;
  let owner: SignedUp;
  const spans: ReceivedSpan[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const payload = JSON.parse(body) as {
          resourceSpans?: { scopeSpans: { scope: { name: string }; spans: { name: string; traceId: string }[] }[] }[];
        };
        for (const resource of payload.resourceSpans ?? [])
          for (const scoped of resource.scopeSpans)
            for (const span of scoped.spans)
              spans.push({ scope: scoped.scope.name, name: span.name, traceId: span.traceId });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    environment = await serverEnvironment(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'bascule-under-test',
      },
      { redis: false },
    );
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => receiver.close(resolve));
    await environment?.drop();
  });

  it("follows a request under the caller's trace id through HTTP, GraphQL and the database, into the logs", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${owner.tokens.accessToken}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ query: 'query TracedPlans { plans(first: 5) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    const traced = await eventually(
      () => {
        const found = spans.filter((span) => span.traceId === traceId);
        expect(found.map((span) => span.scope)).toEqual(
          expect.arrayContaining([
            '@opentelemetry/instrumentation-http',
            '@opentelemetry/instrumentation-graphql',
            ...(suiteDialect() === 'postgres' ? ['@opentelemetry/instrumentation-pg'] : []),
          ]),
        );
        return found;
      },
      10_000,
      100,
    );
    expect(traced.map((span) => span.name)).toEqual(expect.arrayContaining(['POST /graphql', 'query TracedPlans']));
    // Probes are not traced: they would drown the rest.
    await fetch(`${server.baseUrl}/health/ready`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(spans.filter((span) => span.name.includes('/health/'))).toEqual([]);
    // The request's own log line carries the trace id (each traced line does).
    expect(
      server
        .logLines()
        .some((line) => (line.req as { url?: string } | undefined)?.url === '/graphql' && line.trace_id === traceId),
    ).toBe(true);
  });

  it('traces the collab socket: each authorisation and each durable append', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Traces');
    const client = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
    try {
      await synced(client);
      client.doc.getMap('plan').set('title', 'Traces, encore');
      await eventually(
        () =>
          expect(spans.filter((span) => span.scope === 'bascule').map((span) => span.name)).toEqual(
            expect.arrayContaining(['collab.authorize', 'collab.append']),
          ),
        10_000,
        100,
      );
    } finally {
      client.destroy();
    }
  });
});

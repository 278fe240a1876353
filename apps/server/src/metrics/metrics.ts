import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** GraphQL operation names come from clients: kept only while they look like names, and few. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The Prometheus metrics of one application: HTTP and GraphQL latency, the collab engine's rooms,
 * connections, updates and durable-append latency, projection lag, webhook and e-mail deliveries,
 * Redis, and the process itself. One registry per application, so tests that start several do not
 * mix.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = this.histogram(
    'bascule_http_request_duration_seconds',
    'HTTP requests by method, route and status, from arrival to the last byte sent.',
    ['method', 'route', 'status'],
  );
  readonly graphqlDuration = this.histogram(
    'bascule_graphql_operation_duration_seconds',
    'GraphQL operations over HTTP by type, operation name and outcome.',
    ['type', 'operation', 'outcome'],
  );
  readonly graphqlExecutions = this.counter(
    'bascule_graphql_query_executions_total',
    'GraphQL queries over HTTP by how they ran: compiled (graphql-jit), or graphql-js (the query could not be compiled, or reported an error and was run again to report it).',
    ['execution'],
  );
  readonly collabUpdates = this.counter(
    'bascule_collab_updates_total',
    'Document updates stored by this instance (from sockets and server changes).',
  );
  readonly collabUpdateBytes = this.counter(
    'bascule_collab_update_bytes_total',
    'Bytes of the document updates stored by this instance.',
  );
  readonly durableAppend = this.histogram(
    'bascule_durable_append_seconds',
    'From an update accepted to it being durable (group commit wait and write).',
  );
  readonly projectionLag = this.histogram(
    'bascule_projection_lag_seconds',
    "From a plan's first unprojected change to its read model written.",
  );
  readonly webhookDeliveries = this.counter(
    'bascule_webhook_deliveries_total',
    'Webhook delivery attempts by outcome: delivered, retry (will be tried again) or failed (given up).',
    ['outcome'],
  );
  readonly mailDeliveries = this.counter(
    'bascule_mail_deliveries_total',
    'E-mail sending attempts by outcome: sent, retry (will be tried again) or failed (given up).',
    ['outcome'],
  );
  private readonly operationNames = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'bascule_' });
    for (const execution of ['compiled', 'graphql-js']) this.graphqlExecutions.inc({ execution }, 0);
  }

  private histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = []) {
    return new Histogram<L>({ name, help, labelNames, buckets: SECONDS, registers: [this.registry] });
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []) {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge read when metrics are scraped. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** A label for a client-chosen operation name, bounded in number. */
  operationLabel(name: string | null | undefined): string {
    if (name === null || name === undefined || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

import { register } from 'node:module';
import { trace } from '@opentelemetry/api';

/** The tracer for Bascule's own spans (collab appends and authorisations); a no-op without tracing. */
export const tracer = trace.getTracer('bascule');

/** The trace and span ids of the active span, for log lines; nothing outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context === undefined || context.traceId === '00000000000000000000000000000000'
    ? {}
    : { trace_id: context.traceId, span_id: context.spanId };
}

/** Whether the standard OpenTelemetry variables ask for traces to be exported. */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter !== undefined && exporter !== '' && exporter !== 'otlp') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/**
 * Starts OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set:
 * spans for HTTP requests, Express routes, GraphQL operations, PostgreSQL queries and Redis
 * commands, plus Bascule's collab spans, exported over OTLP/HTTP (the standard OTEL_* variables
 * apply: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_SCHEDULE_DELAY...). Must run
 * before the modules it instruments are loaded: the server's entry point calls it first. The
 * instrumentations are loaded only then, so that a server without tracing pays nothing.
 */
export async function startTracing(serviceVersion: string): Promise<(() => Promise<void>) | null> {
  if (!tracingWanted(process.env)) return null;
  // ES modules (Nest 12, Apollo, graphql) are instrumented through import-in-the-middle's loader hook.
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { NodeTracerProvider },
    { BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { registerInstrumentations },
    { HttpInstrumentation },
    { ExpressInstrumentation, ExpressLayerType },
    { GraphQLInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-graphql'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME || 'bascule',
      'service.version': serviceVersion,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (request) =>
          request.url?.startsWith('/health/') === true || request.url?.startsWith('/metrics') === true,
      }),
      // Route handlers only: a span per middleware of every request is noise.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  await waitForAllMessagesAcknowledged();
  return () => provider.shutdown();
}

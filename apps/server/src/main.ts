import { ConfigError, loadConfig } from './config/config.js';
import { resolveSecrets } from './config/secrets.js';
import { describeDatabase } from './database/data-source.js';
import { lowerHelperThreads } from './lifecycle/helper-threads.js';
import { Shutdown } from './lifecycle/shutdown.js';
import { createLogger } from './logging/logger.js';
import { startTracing } from './telemetry/tracing.js';
import { VERSION } from './core/version.js';

/** Beyond this a stuck connection or store no longer delays the exit. */
const SHUTDOWN_DEADLINE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`bascule: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = resolveSecrets(loadConfig(process.env));
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  const logger = createLogger(config);
  // Before any thread of Bascule's own starts (tracing's module hooks, the app's workers): those
  // take the event loop's priority, unless they lower their own.
  const helperThreads = lowerHelperThreads(config.helperThreadNice);
  // Before the modules it instruments are loaded (the app below is imported afterwards).
  const stopTracing = await startTracing(VERSION);

  // Loaded only once the configuration is known to be good, so that a bad one fails at once.
  const { createApp } = await import('./app.factory.js');
  let app;
  try {
    app = await createApp(config, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    fail(
      `cannot start: ${error instanceof Error ? error.message : String(error)} (database ${describeDatabase(config.database)})`,
    );
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s, exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // The drain first (not ready any more, collab sockets told to reconnect elsewhere, accepted updates
    // stored, projections written), then Nest: HTTP and GraphQL (requests in flight finish), the rest.
    app
      .get(Shutdown)
      .drain((step, error) => logger.error({ err: error, step }, 'a shutdown step failed'))
      .then(() => app.close())
      .then(() => stopTracing?.())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  logger.info(
    {
      url,
      port,
      version: VERSION,
      roles: config.roles,
      database: describeDatabase(config.database),
      nodeEnv: config.nodeEnv,
      helperThreads,
    },
    `Bascule ${VERSION} is listening on ${url}`,
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));

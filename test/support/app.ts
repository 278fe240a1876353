import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { createApp } from '../../apps/server/src/app.factory.js';
import type { Logger } from '../../apps/server/src/logging/logger.js';
import { captureLogs, testConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { listen } from './http.js';

export interface TestApp {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly database: TestDatabase;
  /** Closes the application, then drops its database. */
  close(): Promise<void>;
}

/** The real application on a database of its own, listening on a free loopback port. */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  options: { extra?: readonly (Type | DynamicModule)[]; logger?: Logger } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await createApp(
    testConfig({ DATABASE_URL: database.url, ...env }),
    options.logger ?? captureLogs().logger,
    options.extra,
  );
  const baseUrl = await listen(app);
  return {
    app,
    baseUrl,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

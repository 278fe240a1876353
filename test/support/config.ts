import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { type AppConfig, loadConfig } from '../../apps/server/src/config/config.js';
import { resolveSecrets } from '../../apps/server/src/config/secrets.js';
import type { Logger } from '../../apps/server/src/logging/logger.js';

export const TEST_SECRETS = {
  BASCULE_JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  BASCULE_TOKEN_HASH_KEY: 'test-token-hash-key-0123456789abcdef012345',
};

/** Tests sign up and in far more often than people do; the throttling tests set their own limits. */
export const GENEROUS_RATE_LIMITS = {
  BASCULE_RATE_LIMIT_SIGNUP: '100000/1m',
  BASCULE_RATE_LIMIT_LOGIN_IP: '100000/1m',
  BASCULE_RATE_LIMIT_LOGIN_ACCOUNT: '100000/1m',
  BASCULE_RATE_LIMIT_REFRESH: '100000/1m',
};

/** A throwaway folder for one test's data. */
export function tempDir(prefix = 'bascule-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The configuration a test server runs with: the suite's Redis when REDIS_URL is set, its own data
 * folder, fixed secrets, and whatever the test overrides, read through the real loader.
 */
export function testConfig(env: NodeJS.ProcessEnv = {}): AppConfig {
  return resolveSecrets(
    loadConfig({
      NODE_ENV: 'test',
      BASCULE_DATA_DIR: tempDir(),
      REDIS_URL: process.env.REDIS_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      ...TEST_SECRETS,
      ...GENEROUS_RATE_LIMITS,
      // In-process tests compact when they say so; the automatic kind has its own test.
      BASCULE_AUTO_COMPACTION: 'off',
      ...env,
    }),
  );
}

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
}

/** A real pino logger writing JSON lines into memory, so a test can read what was logged. */
export function captureLogs(level: AppConfig['logLevel'] = 'debug'): CapturedLogs {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ level, base: { service: 'bascule' } }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

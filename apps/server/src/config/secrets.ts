import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AppConfig,
  ConfigError,
  type EnvConfig,
  SECRET_MIN_LENGTH,
  SECRET_NAMES,
  type Secrets,
} from './config.js';

export const SECRETS_FILE = 'secrets.json';

function readSecretsFile(path: string): Partial<Record<string, unknown>> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // reported below with the file's path
  }
  throw new ConfigError('BASCULE_DATA_DIR', `holds an unreadable ${SECRETS_FILE} (${path}): fix or remove it`);
}

function isUsableSecret(value: unknown): value is string {
  return typeof value === 'string' && value.length >= SECRET_MIN_LENGTH;
}

/**
 * Completes the secrets of the embedded default: those not given in the environment are read from
 * BASCULE_DATA_DIR/secrets.json, generated there on first run (owner-only permissions) and reused
 * after. Production never gets here with a missing secret: loadConfig refuses it.
 */
export function resolveSecrets(config: EnvConfig): AppConfig {
  const missing = SECRET_NAMES.filter((name) => config.secrets[name] === undefined);
  if (missing.length === 0) return { ...config, secrets: config.secrets as Secrets };

  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError('BASCULE_DATA_DIR', `cannot be created (${config.dataDir}): ${(error as Error).message}`);
  }
  const path = join(config.dataDir, SECRETS_FILE);
  const stored = readSecretsFile(path) ?? {};
  const generated = missing.filter((name) => !isUsableSecret(stored[name]));
  if (generated.length > 0) {
    const next = { ...stored };
    for (const name of generated) next[name] = randomBytes(48).toString('base64url');
    writeFileSync(path, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    Object.assign(stored, next);
  }
  const secrets = Object.fromEntries(
    SECRET_NAMES.map((name) => [name, config.secrets[name] ?? (stored[name] as string)]),
  ) as Secrets;
  return { ...config, secrets };
}

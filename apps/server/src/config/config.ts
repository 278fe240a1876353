import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

export const ROLES = ['api', 'collab', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export const SECRET_NAMES = ['BASCULE_JWT_SECRET', 'BASCULE_TOKEN_HASH_KEY'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
export const SECRET_MIN_LENGTH = 32;

export type DatabaseConfig =
  { readonly dialect: 'sqlite'; readonly path: string } | { readonly dialect: 'postgres'; readonly url: string };

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The whole configuration of one Bascule process, read once from the environment at start-up. */
export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  readonly roles: readonly Role[];
  readonly logLevel: LogLevel;
  readonly secrets: Secrets;
}

export type Secrets = Readonly<Record<SecretName, string>>;

/** The configuration as the environment gives it: secrets may still be missing outside production. */
export interface EnvConfig extends Omit<AppConfig, 'secrets'> {
  readonly secrets: Readonly<Partial<Record<SecretName, string>>>;
}

/** A configuration the process must not start with; the message is one line meant for an operator. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function parseDatabaseUrl(raw: string): DatabaseConfig | undefined {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (path === '') return undefined;
    if (path === ':memory:') return { dialect: 'sqlite', path };
    return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      const url = new URL(raw);
      if (url.hostname === '' || url.pathname.length <= 1) return undefined;
      return { dialect: 'postgres', url: raw };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const secretSchema = z.preprocess(blankAsUnset, z.string().min(SECRET_MIN_LENGTH).optional());

/**
 * Each variable with what it accepts. The `accepts` text ends up verbatim in the start-up error, so
 * an operator reading one line knows what to write instead.
 */
const variables = {
  NODE_ENV: {
    schema: z.preprocess(blankAsUnset, z.enum(['development', 'production', 'test']).default('development')),
    accepts: 'one of development, production, test',
  },
  PORT: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)),
    accepts: 'a TCP port number from 0 to 65535 (0 picks a free port)',
  },
  HOST: {
    schema: z.preprocess(blankAsUnset, z.string().default('0.0.0.0')),
    accepts: 'an address to listen on, such as 0.0.0.0 or 127.0.0.1',
  },
  BASCULE_DATA_DIR: {
    schema: z.preprocess(blankAsUnset, z.string().default('./data')),
    accepts: 'a directory path',
  },
  REDIS_URL: {
    schema: z.preprocess(
      blankAsUnset,
      z
        .string()
        .regex(/^rediss?:\/\/[^/\s]+/)
        .refine((value) => URL.canParse(value))
        .optional(),
    ),
    accepts: 'redis://[user:password@]host:port[/db] or rediss://... (unset to run a single instance)',
  },
  BASCULE_ROLES: {
    schema: z.preprocess(
      blankAsUnset,
      z
        .string()
        .default(ROLES.join(','))
        .transform((value) => value.split(',').map((role) => role.trim()))
        .pipe(z.array(z.enum(ROLES)).min(1))
        .transform((roles) => ROLES.filter((role) => roles.includes(role))),
    ),
    accepts: `a comma-separated subset of ${ROLES.join(', ')}`,
  },
  LOG_LEVEL: {
    schema: z.preprocess(blankAsUnset, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info')),
    accepts: 'one of fatal, error, warn, info, debug, trace',
  },
  BASCULE_JWT_SECRET: { schema: secretSchema, accepts: `a random string of at least ${SECRET_MIN_LENGTH} characters` },
  BASCULE_TOKEN_HASH_KEY: {
    schema: secretSchema,
    accepts: `a random string of at least ${SECRET_MIN_LENGTH} characters`,
  },
} as const;

type Variables = typeof variables;

/** Every environment variable the server reads. */
export const CONFIG_VARIABLES: readonly string[] = [...Object.keys(variables), 'DATABASE_URL'];
type Parsed = { [K in keyof Variables]: z.output<Variables[K]['schema']> };

/** Shows a rejected value without leaking a secret or a password inside a URL. */
function displayValue(name: string, raw: string | undefined): string {
  if (raw === undefined) return '';
  if ((SECRET_NAMES as readonly string[]).includes(name)) return ` (${raw.length} characters given)`;
  const shown = raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return ` ("${shown.length > 80 ? `${shown.slice(0, 80)}...` : shown}")`;
}

function parseVariable<K extends keyof Variables>(name: K, env: NodeJS.ProcessEnv): Parsed[K] {
  const result = variables[name].schema.safeParse(env[name]);
  if (!result.success) {
    throw new ConfigError(name, `is not valid${displayValue(name, env[name])}: expected ${variables[name].accepts}`);
  }
  return result.data as Parsed[K];
}

/**
 * Reads and validates the configuration. Pure: no file is touched, so tests can call it freely.
 * Throws a ConfigError naming the first variable that is wrong.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const parsed = Object.fromEntries(
    (Object.keys(variables) as (keyof Variables)[]).map((name) => [name, parseVariable(name, env)]),
  ) as Parsed;

  const dataDir = resolve(parsed.BASCULE_DATA_DIR);
  const rawDatabaseUrl = blankAsUnset(env.DATABASE_URL) as string | undefined;
  const database: DatabaseConfig | undefined =
    rawDatabaseUrl === undefined
      ? { dialect: 'sqlite', path: resolve(dataDir, 'bascule.sqlite') }
      : parseDatabaseUrl(rawDatabaseUrl);
  if (database === undefined) {
    throw new ConfigError(
      'DATABASE_URL',
      `is not valid${displayValue('DATABASE_URL', rawDatabaseUrl)}: expected sqlite:<file path> or postgres://user[:password]@host[:port]/database`,
    );
  }

  const production = parsed.NODE_ENV === 'production';
  const secrets: Partial<Record<SecretName, string>> = {};
  for (const name of SECRET_NAMES) {
    const value = parsed[name];
    if (value !== undefined) secrets[name] = value;
    else if (production) {
      throw new ConfigError(
        name,
        `is required when NODE_ENV=production: expected ${variables[name].accepts} (for example: openssl rand -base64 48)`,
      );
    }
  }

  return {
    nodeEnv: parsed.NODE_ENV,
    production,
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir,
    database,
    redisUrl: parsed.REDIS_URL,
    roles: parsed.BASCULE_ROLES,
    logLevel: parsed.LOG_LEVEL,
    secrets,
  };
}

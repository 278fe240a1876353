import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { type Language, LANGUAGES, systemLanguage } from '@bascule/plan-model';

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
  /** The address people and identity providers use to reach this server (links, SSO redirects). */
  readonly publicUrl: string;
  readonly oidc: OidcConfig | undefined;
  /**
   * The language of what the server writes for nobody in particular (the demo organization): the
   * machine's (LANG), French unless it says English; requests carry their caller's own.
   */
  readonly language: Language;
  /** Plans compacted when their room unloads or their log grows (collab role). */
  readonly autoCompaction: boolean;
  /** Dashboard reads (plan lists, portfolio) kept until a plan of the organization changes. */
  readonly readCache: boolean;
  /**
   * The niceness of the threads that work in the background: Node's helpers (V8's compilers and GC
   * helpers, libuv's pool); 0 leaves them at the event loop's priority.
   */
  readonly helperThreadNice: number;
  readonly rateLimits: RateLimits;
  readonly collab: CollabConfig;
  readonly webhooks: WebhooksConfig;
  readonly mail: MailConfig;
  /** When set, GET /metrics wants it as a bearer token; otherwise the metrics are open. */
  readonly metricsToken: string | undefined;
  /** Days kept of what is only a log: notifications, sent e-mails and webhook deliveries (worker role). */
  readonly retentionDays: number;
  readonly secrets: Secrets;
}

export interface WebhooksConfig {
  /** Whether webhooks may target loopback and private addresses (a receiver on this network). */
  readonly allowPrivateTargets: boolean;
  /** The first retry's delay; each next one doubles, up to an hour. */
  readonly retryBaseMs: number;
}

export interface MailConfig {
  /** Where e-mail goes out (BASCULE_SMTP_URL); null when this server sends none. */
  readonly smtpUrl: string | null;
  /** The From of every e-mail: `Name <address>` or an address. */
  readonly from: string;
  readonly enabled: boolean;
  /** The first retry's delay; each next one doubles, up to an hour. */
  readonly retryBaseMs: number;
}

/** What `?name=true|false` may tune in BASCULE_SMTP_URL, by nodemailer's option names. */
export const SMTP_URL_OPTIONS = ['requireTLS', 'rejectUnauthorized'] as const;

export interface CollabConfig {
  readonly maxFrameBytes: number;
  readonly maxDocumentBytes: number;
  readonly messagesPerSecond: number;
  readonly connectionsPerUser: number;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Label of the sign-in button. */
  readonly displayName: string;
  /** Users whose verified email is in one of these domains join the organization as MEMBER. */
  readonly autoJoin: readonly { readonly domain: string; readonly organizationId: string }[];
}

export interface RateLimit {
  readonly points: number;
  readonly durationSeconds: number;
}
export const RATE_LIMIT_NAMES = ['signup', 'loginIp', 'loginAccount', 'refresh'] as const;
export type RateLimits = Readonly<Record<(typeof RATE_LIMIT_NAMES)[number], RateLimit>>;

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

/** smtp:// or smtps://, a host, and no option but those Bascule passes on. */
function isSmtpUrl(raw: string): boolean {
  if (!/^smtps?:\/\/[^/\s]+\/?(\?\S*)?$/.test(raw) || !URL.canParse(raw)) return false;
  const url = new URL(raw);
  return (
    url.hostname !== '' &&
    url.hash === '' &&
    [...url.searchParams].every(
      ([name, value]) => (SMTP_URL_OPTIONS as readonly string[]).includes(name) && /^(true|false)$/.test(value),
    )
  );
}

const MAIL_ADDRESS = '[^\\s<>@",;]+@[^\\s<>@",;]+';
/** `Bascule <bascule@example.org>` or `bascule@example.org`: no comma or quote a mail client would split on. */
const MAIL_FROM = new RegExp(`^(?:[^<>",;\\r\\n]{1,100} <${MAIL_ADDRESS}>|${MAIL_ADDRESS})$`);

const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `10/15m`: ten attempts per fifteen minutes. */
const rateLimitSchema = (fallback: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\d{1,9}\/\d{1,6}[smhd]$/)
      .default(fallback)
      .transform((value): RateLimit => {
        const [points, duration] = value.split('/') as [string, string];
        const unit = duration.slice(-1) as keyof typeof DURATION_UNITS;
        return { points: Number(points), durationSeconds: Number(duration.slice(0, -1)) * DURATION_UNITS[unit] };
      })
      .refine((limit) => limit.points > 0 && limit.durationSeconds > 0),
  );

const RATE_LIMIT_DEFAULTS = {
  BASCULE_RATE_LIMIT_SIGNUP: ['10/1h', 'sign-ups per IP address'],
  BASCULE_RATE_LIMIT_LOGIN_IP: ['30/5m', 'sign-in attempts per IP address'],
  BASCULE_RATE_LIMIT_LOGIN_ACCOUNT: ['10/15m', 'sign-in attempts per account'],
  BASCULE_RATE_LIMIT_REFRESH: ['60/1m', 'token refreshes per IP address'],
} as const;

function rateLimitVariables() {
  return Object.fromEntries(
    Object.entries(RATE_LIMIT_DEFAULTS).map(([name, [fallback, what]]) => [
      name,
      { schema: rateLimitSchema(fallback), accepts: `<count>/<duration>[s|m|h|d] ${what}, such as ${fallback}` },
    ]),
  ) as { [K in keyof typeof RATE_LIMIT_DEFAULTS]: { schema: ReturnType<typeof rateLimitSchema>; accepts: string } };
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
  BASCULE_PUBLIC_URL: {
    schema: z.preprocess(
      blankAsUnset,
      z
        .string()
        .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/)
        .refine((value) => URL.canParse(value))
        .transform((value) => value.replace(/\/+$/, ''))
        .optional(),
    ),
    accepts: 'the http(s) address users reach Bascule at, such as https://bascule.example.fr',
  },
  BASCULE_OIDC_ISSUER: {
    schema: z.preprocess(blankAsUnset, z.string().url().optional()),
    accepts: 'the issuer URL of an OpenID Connect provider (unset to disable single sign-on)',
  },
  BASCULE_OIDC_CLIENT_ID: {
    schema: z.preprocess(blankAsUnset, z.string().max(255).optional()),
    accepts: 'the client id registered at the OpenID provider',
  },
  BASCULE_OIDC_CLIENT_SECRET: {
    schema: z.preprocess(blankAsUnset, z.string().max(1024).optional()),
    accepts: 'the client secret registered at the OpenID provider',
  },
  BASCULE_OIDC_NAME: {
    schema: z.preprocess(blankAsUnset, z.string().max(60).default('Single sign-on')),
    accepts: 'a short label for the sign-in button',
  },
  BASCULE_OIDC_AUTO_JOIN: {
    schema: z.preprocess(
      blankAsUnset,
      z
        .string()
        .default('')
        .transform((value) =>
          value
            .split(',')
            .map((entry) => entry.trim())
            .filter((entry) => entry !== ''),
        )
        .pipe(z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}=[0-9a-f-]{36}$/i)))
        .transform((entries) =>
          entries.map((entry) => {
            const [domain, organizationId] = entry.split('=') as [string, string];
            return { domain: domain.toLowerCase(), organizationId: organizationId.toLowerCase() };
          }),
        ),
    ),
    accepts: 'comma-separated domain=organizationId pairs, such as chu-exemple.fr=3f0c...-...',
  },
  BASCULE_LANGUAGE: {
    schema: z.preprocess(blankAsUnset, z.enum(LANGUAGES).optional()),
    accepts: 'fr or en: the language of what the server writes for nobody in particular (the demo); by default LANG’s',
  },
  BASCULE_AUTO_COMPACTION: {
    schema: z.preprocess(blankAsUnset, z.enum(['on', 'off']).default('on')),
    accepts: 'on or off: compact a plan’s stored log when its room unloads or its log grows (the worker’s rounds stay)',
  },
  BASCULE_READ_CACHE: {
    schema: z.preprocess(blankAsUnset, z.enum(['on', 'off']).default('on')),
    accepts: 'on or off: keep plan lists and portfolios in memory until a plan of the organization changes',
  },
  BASCULE_HELPER_THREAD_NICE: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(19).default(19)),
    accepts:
      'a niceness from 0 to 19 for the threads that work in the background on Linux (V8’s compilers and garbage collector, libuv’s pool); 0 leaves them at the event loop’s priority',
  },
  BASCULE_METRICS_TOKEN: {
    schema: z.preprocess(blankAsUnset, z.string().min(16).max(200).optional()),
    accepts: 'a token of 16 to 200 characters that Prometheus sends as a bearer token to /metrics',
  },
  BASCULE_WEBHOOK_PRIVATE_TARGETS: {
    schema: z.preprocess(blankAsUnset, z.enum(['allow', 'deny']).optional()),
    accepts: 'allow or deny (webhooks to loopback and private addresses; denied by default in production)',
  },
  BASCULE_WEBHOOK_RETRY_BASE_MS: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(100).max(600_000).default(5000)),
    accepts: 'milliseconds from 100 to 600000 before the first retry of a failed webhook delivery (then doubling)',
  },
  BASCULE_SMTP_URL: {
    schema: z.preprocess(blankAsUnset, z.string().refine(isSmtpUrl).optional()),
    accepts: `smtp://[user:password@]host[:port] (STARTTLS when offered) or smtps://... (TLS from the start), optionally with ${SMTP_URL_OPTIONS.map((name) => `?${name}=true|false`).join(' or ')} (unset: no e-mail)`,
  },
  BASCULE_MAIL_FROM: {
    schema: z.preprocess(blankAsUnset, z.string().trim().regex(MAIL_FROM).optional()),
    accepts: 'the sender of e-mails, such as Bascule <bascule@example.fr> or bascule@example.fr',
  },
  BASCULE_MAIL_RETRY_BASE_MS: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(100).max(600_000).default(60_000)),
    accepts:
      'milliseconds from 100 to 600000 before the first retry of an e-mail the SMTP server did not take (then doubling)',
  },
  BASCULE_RETENTION_DAYS: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(7).max(3650).default(90)),
    accepts:
      'days from 7 to 3650 that notifications, sent or failed e-mails and webhook deliveries are kept (the audit trail is kept whole)',
  },
  BASCULE_COLLAB_MAX_FRAME_BYTES: {
    schema: z.preprocess(
      blankAsUnset,
      z.coerce
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * 1024)
        .default(1024 * 1024),
    ),
    accepts: 'a size in bytes from 1024 to 16777216 (the largest message a collab client may send)',
  },
  BASCULE_COLLAB_MAX_DOCUMENT_BYTES: {
    schema: z.preprocess(
      blankAsUnset,
      z.coerce
        .number()
        .int()
        .min(64 * 1024)
        .max(1024 * 1024 * 1024)
        .default(64 * 1024 * 1024),
    ),
    accepts: 'a size in bytes from 65536 to 1073741824 (the largest stored size of one plan document)',
  },
  BASCULE_COLLAB_MESSAGES_PER_SECOND: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(100000).default(100)),
    accepts: 'a whole number of messages per second per collab connection, from 1 to 100000',
  },
  BASCULE_COLLAB_CONNECTIONS_PER_USER: {
    schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(100000).default(20)),
    accepts: 'a whole number of open collab connections per user and instance, from 1 to 100000',
  },
  ...rateLimitVariables(),
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

  const oidcParts = {
    BASCULE_OIDC_ISSUER: parsed.BASCULE_OIDC_ISSUER,
    BASCULE_OIDC_CLIENT_ID: parsed.BASCULE_OIDC_CLIENT_ID,
    BASCULE_OIDC_CLIENT_SECRET: parsed.BASCULE_OIDC_CLIENT_SECRET,
  };
  const missingOidc = Object.entries(oidcParts)
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  const [firstMissing] = missingOidc;
  if (firstMissing !== undefined && missingOidc.length < 3) {
    throw new ConfigError(
      firstMissing,
      'is required when single sign-on is configured (BASCULE_OIDC_ISSUER, BASCULE_OIDC_CLIENT_ID and BASCULE_OIDC_CLIENT_SECRET go together)',
    );
  }
  const oidc: OidcConfig | undefined =
    missingOidc.length === 0
      ? {
          issuer: parsed.BASCULE_OIDC_ISSUER as string,
          clientId: parsed.BASCULE_OIDC_CLIENT_ID as string,
          clientSecret: parsed.BASCULE_OIDC_CLIENT_SECRET as string,
          displayName: parsed.BASCULE_OIDC_NAME,
          autoJoin: parsed.BASCULE_OIDC_AUTO_JOIN,
        }
      : undefined;

  if (oidc !== undefined && production) {
    if (!oidc.issuer.startsWith('https://')) {
      throw new ConfigError('BASCULE_OIDC_ISSUER', 'must be an https:// address when NODE_ENV=production');
    }
    if (parsed.BASCULE_PUBLIC_URL === undefined) {
      throw new ConfigError(
        'BASCULE_PUBLIC_URL',
        'is required with single sign-on when NODE_ENV=production: the provider sends people back to it',
      );
    }
  }

  if (parsed.BASCULE_SMTP_URL !== undefined && production) {
    if (parsed.BASCULE_PUBLIC_URL === undefined) {
      throw new ConfigError(
        'BASCULE_PUBLIC_URL',
        'is required with e-mail (BASCULE_SMTP_URL) when NODE_ENV=production: the links in e-mails point to it',
      );
    }
    if (parsed.BASCULE_MAIL_FROM === undefined) {
      throw new ConfigError(
        'BASCULE_MAIL_FROM',
        `is required with e-mail (BASCULE_SMTP_URL) when NODE_ENV=production: expected ${variables.BASCULE_MAIL_FROM.accepts}`,
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
    publicUrl: parsed.BASCULE_PUBLIC_URL ?? `http://localhost:${parsed.PORT === 0 ? 3000 : parsed.PORT}`,
    oidc,
    rateLimits: {
      signup: parsed.BASCULE_RATE_LIMIT_SIGNUP,
      loginIp: parsed.BASCULE_RATE_LIMIT_LOGIN_IP,
      loginAccount: parsed.BASCULE_RATE_LIMIT_LOGIN_ACCOUNT,
      refresh: parsed.BASCULE_RATE_LIMIT_REFRESH,
    },
    collab: {
      maxFrameBytes: parsed.BASCULE_COLLAB_MAX_FRAME_BYTES,
      maxDocumentBytes: parsed.BASCULE_COLLAB_MAX_DOCUMENT_BYTES,
      messagesPerSecond: parsed.BASCULE_COLLAB_MESSAGES_PER_SECOND,
      connectionsPerUser: parsed.BASCULE_COLLAB_CONNECTIONS_PER_USER,
    },
    metricsToken: parsed.BASCULE_METRICS_TOKEN,
    retentionDays: parsed.BASCULE_RETENTION_DAYS,
    language: parsed.BASCULE_LANGUAGE ?? systemLanguage(env),
    autoCompaction: parsed.BASCULE_AUTO_COMPACTION === 'on',
    readCache: parsed.BASCULE_READ_CACHE === 'on',
    helperThreadNice: parsed.BASCULE_HELPER_THREAD_NICE,
    webhooks: {
      allowPrivateTargets: (parsed.BASCULE_WEBHOOK_PRIVATE_TARGETS ?? (production ? 'deny' : 'allow')) === 'allow',
      retryBaseMs: parsed.BASCULE_WEBHOOK_RETRY_BASE_MS,
    },
    mail: {
      smtpUrl: parsed.BASCULE_SMTP_URL ?? null,
      from: parsed.BASCULE_MAIL_FROM ?? 'Bascule <bascule@localhost>',
      enabled: parsed.BASCULE_SMTP_URL !== undefined,
      retryBaseMs: parsed.BASCULE_MAIL_RETRY_BASE_MS,
    },
    secrets,
  };
}

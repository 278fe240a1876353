import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/config.js';
import { traceFields } from '../telemetry/tracing.js';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout in production and test (for log shippers); human-readable lines in
 * development. Pretty printing runs in-process so that nothing is lost when the process exits.
 */
export function createLogger(config: Pick<AppConfig, 'nodeEnv' | 'logLevel'>): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'bascule' },
    // Within a traced request or collab append, each line carries the trace and span ids.
    mixin: traceFields,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  };
  if (config.nodeEnv === 'development') {
    return pino(
      options,
      pretty({
        colorize: process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        messageFormat: '{if context}[{context}] {end}{msg}',
        ignore: 'service,pid,hostname,component,context,req,res,responseTime,url,port,version,roles,database,nodeEnv',
        sync: true,
      }),
    );
  }
  return pino(options);
}

/** Query parameters that carry credentials: calendar feed tokens, single sign-on codes and state. */
const SECRET_PARAMETERS = /([?&](?:token|code|state|sso_code)=)[^&#]*/gi;

/**
 * What the client asked for, with credentials in the query string blanked. Express rewrites `url`
 * inside mounted routers (GraphQL); `originalUrl` is the request as it came.
 */
export function pathOf(req: IncomingMessage): string | undefined {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
  return url?.replace(SECRET_PARAMETERS, '$1[redacted]');
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One log line per HTTP request with its id. An `x-request-id` set by a proxy is kept when it is
 * well formed, otherwise a fresh one is made; either way it is echoed in the response header.
 */
export function createHttpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel(_req, res, error) {
      if (error !== undefined || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res, error) => `${req.method} ${pathOf(req)} ${res.statusCode}: ${error.message}`,
    autoLogging: { ignore: (req) => req.url?.startsWith('/health/') ?? false },
    serializers: {
      req: (req: { id: string; method: string; url: string; raw: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        url: pathOf(req.raw),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** Nest's start-up narration (each module initialised, each route mapped): detail, not news. */
const BOOTSTRAP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'GraphQLModule',
]);

/** Routes Nest's own messages (module init, route mapping, errors) into the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && BOOTSTRAP_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes optional params as (stack?, context?) for errors and (context?) otherwise. */
  private write(
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace',
    message: unknown,
    rest: unknown[],
  ): void {
    const strings = rest.filter((part): part is string => typeof part === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    const stack =
      level === 'error' || level === 'fatal' ? strings.find((part) => part.includes('\n    at ')) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message });
    } else {
      this.logger[level]({ context, ...(stack === undefined ? {} : { stack }) }, String(message));
    }
  }
}

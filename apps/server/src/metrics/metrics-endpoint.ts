import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Metrics } from './metrics.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics in Prometheus' text format, as plain Express middleware ahead of Nest's routes: its
 * bearer token (BASCULE_METRICS_TOKEN, when set) is not a Bascule credential, so it must not reach
 * the access guard. Without a token configured the metrics are open (keep /metrics off the public
 * ingress then).
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined, redis: Redis | null) {
  if (redis !== null)
    metrics.gauge('bascule_redis_up', 'Whether the Redis connection is ready (1) or not (0).', () =>
      redis.status === 'ready' ? 1 : 0,
    );
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' || (request.path !== '/' && request.path !== '')) return next();
    if (token !== undefined) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      // Compared as digests: same length, constant time.
      if (!timingSafeEqual(digest(given), digest(token))) {
        response.status(401).json({
          error: { code: 'UNAUTHENTICATED', message: 'The metrics want the bearer token of BASCULE_METRICS_TOKEN.' },
        });
        return;
      }
    }
    metrics.registry
      .metrics()
      .then((text) => response.setHeader('content-type', metrics.registry.contentType).send(text), next);
  };
}

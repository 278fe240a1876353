import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics.js';

/** The route a request matched, as declared (`/reports/plans/:planId.:format`), never the raw path. */
function routeOf(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof route === 'string') return `${request.baseUrl}${route}`;
  if (request.path.startsWith('/graphql')) return '/graphql';
  if (request.path.startsWith('/collab/')) return '/collab';
  return request.method === 'GET' ? 'static' : 'other';
}

/** Times every HTTP request into bascule_http_request_duration_seconds. */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    response.on('finish', () =>
      end({ method: request.method, route: routeOf(request), status: String(response.statusCode) }),
    );
    next();
  };
}

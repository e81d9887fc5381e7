import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { withCorrelation } from '@parley/nats';
import { Metrics } from '@parley/platform';

/**
 * Every request: its id (pino-http's `req.id`, taken from X-Request-Id when the caller sent one) becomes
 * the correlation id of the NATS requests it makes, goes back in `X-Request-Id`, and its outcome is
 * counted under the route pattern (never the raw URL, whose sids would explode the label set).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const id = String(req.id);
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', id);
    res.once('finish', () => {
      // Set by the router when a route handled the request; absent for 404s and for auth/body failures.
      const route = typeof req.route?.path === 'string' ? req.route.path : 'unmatched';
      this.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.metrics.httpDuration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    withCorrelation(id, next);
  }
}

import { HookportError } from '../errors/hookport-error';
import { sendHttpError } from './errors';
import express from 'express';
import type { Logger } from 'winston';
import { errorMessage } from '../errors/error-message';
import type { Metrics } from '../metrics/metrics';
import type { AuthFailures } from './auth-failures';
import { bearerMatches } from './bearer';

/**
 * GET /metrics in Prometheus text format. With METRICS_TOKEN set it requires that bearer token
 * (compared in constant time); unset, it is open: it carries counts only, never payloads.
 */
export function metricsRouter(
  metrics: Metrics,
  token: string | undefined,
  logger: Logger,
  failures: AuthFailures,
): express.Router {
  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    if (token !== undefined) {
      const limited = failures.refusal(req);
      if (limited) return sendHttpError(req, res, limited);
      if (!bearerMatches(req, token)) {
        if (req.headers.authorization !== undefined) await failures.failed(req, 'metrics');
        res.set('WWW-Authenticate', 'Bearer');
        return sendHttpError(req, res, new HookportError('unauthorized', 'send Authorization: Bearer <METRICS_TOKEN>'));
      }
    }
    try {
      const text = await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(text);
    } catch (err) {
      // The queue gauges need the database; without it the scrape fails rather than lie.
      logger.warn('metrics scrape failed', { error: errorMessage(err) });
      sendHttpError(req, res, new HookportError('database_unavailable', 'the queue figures could not be read'));
    }
  });
  return router;
}

import { NotFoundError } from './errors/hookport-error';
import express from 'express';
import type { Logger } from 'winston';
import type { Config } from './config/config';
import type { Database } from './db/client';
import { sendHttpError, toHttpError } from './http/errors';
import { addressOf, AuthFailures, type AuthSurface } from './http/auth-failures';
import { recordAudit } from './audit/record';
import { healthRouter } from './http/health';
import { securityHeaders } from './http/security-headers';
import { ingestRouter } from './http/ingest';
import { metricsRouter } from './http/metrics-route';
import type { Metrics } from './metrics/metrics';
import type { QueueStats } from './inbox/stats';
import type { ActivityObserver } from './activity/observer';
import { operatorRouter, type OperatorOptions } from './admin';
import type { ProviderRegistry } from './contract/provider';
import { version } from './config/version';
import { errorMessage } from './errors/error-message';
import { requireOperator } from './admin/sessions';
import type { LocalClaims } from './inbox/writer';

export interface AppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  providers: ProviderRegistry;
  onStored?: (id: string) => void;
  /** Called once per committed insert of new webhooks left unclaimed. */
  onBatchStored?: () => void;
  /** The in-process worker, which takes webhooks as they are stored (absent where no worker runs here). */
  claims?: LocalClaims;
  /** Wakes the in-process worker (after a replay); absent where no worker runs here. */
  wake?: () => void;
  startedAt?: Date;
  /** Counts webhooks and serves GET /metrics when given. */
  metrics?: Metrics;
  /** The queue figures, cached (HEALTH_CACHE_MS) and shared by /health and /metrics. */
  queue: () => Promise<QueueStats>;
  /** Told of every webhook answer (metrics, stored counts); defaults to `metrics`. */
  activity?: ActivityObserver;
  /** What the subscription routes need of the delivery worker. */
  deliveries: OperatorOptions['deliveries'];
}

/** The audit log's actor for a refused credential, by where it was tried. */
const SURFACE_ACTORS: Record<AuthSurface, string> = { console: 'console', admin_api: 'admin-api', metrics: 'metrics' };

/** The HTTP app, without listening or starting anything. No global body parser: webhooks need raw bytes. */
export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: nothing here is cached, and hashing every answer costs CPU on every request.
  app.set('etag', false);
  app.set('trust proxy', options.config.trustProxy);
  app.use(securityHeaders(options.config.publicBaseUrl));
  app.use(
    ingestRouter({
      config: options.config,
      db: options.database.db,
      logger: options.logger,
      providers: options.providers,
      onStored: options.onStored,
      onBatchStored: options.onBatchStored,
      claims: options.claims,
      activity: options.activity ?? options.metrics,
      http: options.deliveries.http,
    }),
  );
  const authFailures = new AuthFailures({
    logger: options.logger,
    counted: (surface) => options.metrics?.authFailed(surface),
    recorded: (req, surface) =>
      recordAudit(options.database.db, {
        by: { actor: SURFACE_ACTORS[surface], address: addressOf(req) },
        action: 'operator.sign_in_refused',
      }),
  });
  app.use(
    operatorRouter({
      config: options.config,
      db: options.database.db,
      logger: options.logger,
      providers: options.providers,
      queue: options.queue,
      wake: options.wake ?? (() => {}),
      version,
      deliveries: options.deliveries,
      authFailures,
    }),
  );
  if (options.metrics)
    app.use(metricsRouter(options.metrics, options.config.metricsToken, options.logger, authFailures));
  for (const provider of Object.values(options.providers)) {
    if (provider.routes) {
      app.use(
        provider.routes({
          config: options.config,
          db: options.database.db,
          logger: options.logger,
          requireOperator: requireOperator(options.config, options.database.db),
        }),
      );
    }
  }
  app.use(
    healthRouter({
      config: options.config,
      database: options.database,
      logger: options.logger,
      providers: options.providers,
      version,
      startedAt: options.startedAt ?? new Date(),
      queue: options.queue,
    }),
  );
  app.use((req, res) => sendHttpError(req, res, new NotFoundError('no such route')));
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const httpError = toHttpError(err);
    // A malformed request is the client's problem, not the server's: logged below error.
    if (httpError.status >= 500) options.logger.error('request failed', { error: errorMessage(err) });
    else
      options.logger.info('request refused', {
        status: httpError.status,
        error: httpError.code,
        message: httpError.message,
      });
    sendHttpError(req, res, httpError);
  });
  return app;
}

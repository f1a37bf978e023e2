import express from 'express';
import type { Logger } from 'winston';
import type { Config } from '../config/config';
import type { Db } from '../db/client';
import type { QueueStats } from '../inbox/stats';
import { storedProviderNames, type ProviderRegistry } from '../contract/provider';
import { adminApiRouter } from './api/router';
import type { AdminRoute } from '../contract/admin-route';
import { eventRoutes } from './api/event-routes';
import { subscriptionRoutes } from './api/subscription-routes';
import { suppressionRoutes } from './api/suppression-routes';
import { auditRoutes } from './api/audit-routes';
import { businessRoutes } from './api/business-routes';
import { eventTypeRoutes } from './api/event-type-routes';
import { canonicalEventRoutes } from './api/canonical-event-routes';
import type { DeliveryHttpClient } from '../deliveries/http-client';
import type { Resolver } from '../deliveries/network-guard';
import type { AuthFailures } from '../http/auth-failures';
import { consoleRouter } from './console';
import { liveCatalogue, type InstanceTypes } from '../events/catalogue';

export interface OperatorOptions {
  config: Config;
  db: Db;
  logger: Logger;
  providers: ProviderRegistry;
  /** The cached queue figures /health and /metrics share. */
  queue: () => Promise<QueueStats>;
  /** Nudges the in-process worker (replays); a no-op where no worker runs. */
  wake: () => void;
  version: string;
  /** Wrong operator credentials, counted and limited across the console, the admin API and /metrics. */
  authFailures: AuthFailures;
  deliveries: {
    /** The delivery worker's client: test sends go out through it. */
    http: DeliveryHttpClient;
    /** Nudges the delivery worker (retry now, re-enabling); a no-op where none runs. */
    wake: () => void;
    resolve?: Resolver;
  };
}

/** Where the catalogue reads the types of providers' run-time instances (a provider's rows). */
function instanceTypesOf({ config, db, logger, providers }: OperatorOptions): InstanceTypes[] {
  return Object.values(providers).flatMap((p) => {
    if (!p.instances) return [];
    const directory = p.instances.directory({ config, db, logger });
    return [{ provider: p.name, current: () => directory.current(), last: () => directory.last() }];
  });
}

/** Each provider's admin routes, under /admin/api/<provider>. */
function providerAdminRoutes({ config, db, logger, providers }: OperatorOptions): AdminRoute[] {
  return Object.values(providers).flatMap((p) =>
    (p.adminRoutes?.({ config, db, logger }) ?? []).map((r) => ({ ...r, path: `/${p.name}${r.path}` })),
  );
}

/** The operator surface: the admin API under /admin/api and the console under /admin. */
export function operatorRouter(options: OperatorOptions): express.Router {
  const router = express.Router();
  const catalogue = liveCatalogue(options.providers, instanceTypesOf(options));
  const routes = [
    ...eventRoutes({
      db: options.db,
      providers: () => storedProviderNames(options.providers, options),
      wake: options.wake,
    }),
    ...eventTypeRoutes({ catalogue }),
    ...canonicalEventRoutes({ db: options.db }),
    ...suppressionRoutes({ db: options.db }),
    ...auditRoutes({ db: options.db }),
    ...businessRoutes({ db: options.db, providers: options.providers }),
    ...subscriptionRoutes({
      db: options.db,
      config: options.config.deliveries,
      logger: options.logger,
      ...options.deliveries,
      catalogue,
      box: options.config.secretBox,
    }),
    ...providerAdminRoutes(options),
  ];
  // Instances added through another Hookport are in the catalogue before any answer that reads it.
  router.use(
    '/admin',
    (_req, _res, next) =>
      void catalogue.refresh().then(
        () => next(),
        () => next(),
      ),
  );
  router.use(
    '/admin/api',
    adminApiRouter({
      config: options.config,
      logger: options.logger,
      routes,
      version: options.version,
      webhooks: () => catalogue.entries,
      authFailures: options.authFailures,
    }),
  );
  router.use('/admin', consoleRouter({ ...options, catalogue }));
  return router;
}

import express from 'express';
import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Config } from '../config/config';
import type { Database } from '../db/client';
import { lastReceivedAt, type QueueStats } from '../inbox/stats';
import type { ProviderRegistry } from '../contract/provider';
import { cachedFor } from './cached';
import { withTimeout } from './timeout';
import { errorMessage } from '../errors/error-message';

export interface HealthOptions {
  config: Config;
  database: Database;
  logger: Logger;
  providers: ProviderRegistry;
  version: string;
  startedAt: Date;
  /** The queue figures, cached for HEALTH_CACHE_MS and shared with /metrics. */
  queue: () => Promise<QueueStats>;
}

/** What callers see when the database fails: its own text (hosts, ports, users) goes to the log only. */
export const DATABASE_UNAVAILABLE = 'database unavailable';

/** GET /health/live (no database) and GET /health (readiness, with queue and provider facts). */
export function healthRouter(options: HealthOptions): express.Router {
  const { config, database, logger, providers } = options;
  const names = Object.keys(providers);
  const configured = Object.fromEntries(
    Object.values(providers).map((p) => [p.name, p.createVerifier(config) !== null]),
  );
  const router = express.Router();
  const base = () => ({
    version: options.version,
    uptimeSeconds: Math.floor((Date.now() - options.startedAt.getTime()) / 1000),
  });
  const driver = { driver: database.driver, durable: database.durable };

  // A flood of /health costs one ping in flight and one set of figures per HEALTH_CACHE_MS, so it
  // cannot take the connections webhooks need. The ping is never reused: readiness is current.
  const ping = cachedFor(0, async () => {
    const started = process.hrtime.bigint();
    await database.db.execute(sql`select 1`);
    return Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  });
  const lastReceived = cachedFor(config.healthCacheMs, () => lastReceivedAt(database.db, names));
  const figures = () => Promise.all([options.queue(), lastReceived()]);
  let lastLogged: string | undefined;

  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', ...base() });
  });

  router.get('/health', async (_req, res) => {
    try {
      const [latencyMs, [queue, lastReceived]] = await withTimeout(
        Promise.all([ping(), figures()]),
        config.database.timeoutMs,
      );
      lastLogged = undefined;
      res.json({
        status: 'ok',
        ...base(),
        database: { ok: true, ...driver, latencyMs },
        queue,
        providers: Object.fromEntries(
          names.map((n) => [n, { configured: configured[n], lastReceivedAt: lastReceived[n]?.toISOString() ?? null }]),
        ),
      });
    } catch (err) {
      // Logged once per distinct error, not once per probe.
      const detail = errorMessage(err);
      if (detail !== lastLogged) logger.warn('health: database unavailable', { error: detail });
      lastLogged = detail;
      res.status(503).json({
        status: 'unavailable',
        ...base(),
        database: { ok: false, ...driver, error: DATABASE_UNAVAILABLE },
        providers: Object.fromEntries(names.map((n) => [n, { configured: configured[n] }])),
      });
    }
  });

  return router;
}

import express from 'express';
import { sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { lastReceivedAt, queueStats } from '../inbox/stats';
import type { Provider } from '../provider';
import { withTimeout } from './timeout';
import { errorMessage } from '../error-message';

export interface HealthOptions {
  config: Config;
  database: Database;
  providers: Readonly<Record<string, Provider<any>>>;
  version: string;
  startedAt: Date;
}

/** GET /health/live (no database) and GET /health (readiness, with queue and provider facts). */
export function healthRouter(options: HealthOptions): express.Router {
  const { config, database, providers } = options;
  const names = Object.keys(providers);
  const configured = Object.fromEntries(
    Object.values(providers).map((p) => [p.name, p.createVerifier(config) !== null]),
  );
  const router = express.Router();
  const base = () => ({
    version: options.version,
    uptimeSeconds: Math.floor((Date.now() - options.startedAt.getTime()) / 1000),
  });

  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', ...base() });
  });

  router.get('/health', async (_req, res) => {
    const started = process.hrtime.bigint();
    try {
      const [, queue, lastReceived] = await withTimeout(
        Promise.all([
          database.db.execute(sql`select 1`),
          queueStats(database.db),
          lastReceivedAt(database.db, names),
        ]),
        config.database.timeoutMs,
      );
      const latencyMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      res.json({
        status: 'ok',
        ...base(),
        database: { ok: true, driver: database.driver, latencyMs },
        queue,
        providers: Object.fromEntries(
          names.map((n) => [n, { configured: configured[n], lastReceivedAt: lastReceived[n]?.toISOString() ?? null }]),
        ),
      });
    } catch (err) {
      res.status(503).json({
        status: 'unavailable',
        ...base(),
        database: { ok: false, driver: database.driver, error: errorMessage(err) },
        providers: Object.fromEntries(names.map((n) => [n, { configured: configured[n] }])),
      });
    }
  });

  return router;
}

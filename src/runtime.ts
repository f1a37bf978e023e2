import type express from 'express';
import type { Logger } from 'winston';
import { createApp } from './app';
import type { Config } from './config/config';
import { openDatabase, type Database } from './db/client';
import { migrate } from './db/migrate';
import { sealStoredSecrets } from './secrets/stored-secrets';
import { INBOX_CHANNEL, listenForWakeups, WakeupSender } from './db/wakeups';
import { Metrics } from './metrics/metrics';
import { cachedFor } from './http/cached';
import { queueStats } from './inbox/stats';
import { ActivityCounts } from './activity/counts';
import { allOf, type ActivityObserver } from './activity/observer';
import type { ProviderRegistry } from './contract/provider';
import { InboxWorker } from './worker/inbox-worker';
import { RetentionJob } from './retention/job';
import { providerLabels } from './deliveries/slack/labels';
import { answeredActions } from './deliveries/slack/actions';
import { DeliveryWorker } from './deliveries/delivery-worker';
import { operationalTeller } from './operational/delivery-events';
import type { Resolver } from './deliveries/network-guard';

export interface Runtime {
  app: express.Express;
  database: Database;
  worker: InboxWorker;
  /** Sends deliveries; started only with DELIVERY_WORKER_ENABLED (tests may drive it themselves). */
  deliveryWorker: DeliveryWorker;
  /** Deletes old finished rows; null where the worker does not run, or with RETENTION_DAYS=0. */
  retention: RetentionJob | null;
  metrics: Metrics;
  /** Answers, outcomes and delays, written to activity_counts every few seconds (flush() writes now). */
  counts: ActivityCounts;
  /** Metrics and counts together: what the worker tells (tests that drive the worker pass it). */
  activity: ActivityObserver;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Name resolution for outbound deliveries' network guard (tests map names to addresses). */
  resolve?: Resolver;
}

export const EMBEDDED_DURABILITY_WARNING =
  'embedded database: an acknowledged webhook survives a crash or kill -9 of this process, but NOT a power loss ' +
  'or an OS crash (PGlite does not fsync); set DATABASE_URL to a PostgreSQL server for production';

/** Opens the database, applies migrations, and wires the app to the worker. Listens on nothing. */
export async function openRuntime(
  config: Config,
  logger: Logger,
  providers: ProviderRegistry,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    timeoutMs: config.database.timeoutMs,
    logger,
  });
  if (!database.durable) {
    logger.warn(EMBEDDED_DURABILITY_WARNING, { database: database.driver, durable: false, dataDir: config.dataDir });
  }
  try {
    const applied = await migrate(database.db);
    if (applied.length > 0) logger.info('migrations applied', { count: applied.length });
    await sealStoredSecrets(database.db, config.secretBox, providers, logger);
  } catch (err) {
    await database.close();
    throw err;
  }
  // One cached read of the queue serves /health and /metrics, however often they are asked.
  const queue = cachedFor(config.healthCacheMs, () => queueStats(database.db));
  const metrics = new Metrics({ queue });
  const counts = new ActivityCounts(database.db, logger);
  counts.start();
  const activity = allOf(metrics, counts);
  const deliveryWorker = new DeliveryWorker({
    db: database.db,
    config: config.deliveries,
    logger,
    box: config.secretBox,
    tell: operationalTeller(config.secretBox),
    activity,
    labels: providerLabels(providers),
    slackActions: answeredActions(providers, config),
    resolve: options.resolve,
    consoleUrl: config.publicBaseUrl ? `${config.publicBaseUrl.replace(/\/+$/, '')}/admin` : null,
  });
  const deliveriesEnabled = config.deliveries.workerEnabled;
  // Workers in other processes (ingest-only instances beside worker-only ones) hear of new webhooks by NOTIFY.
  const inboxWakeups = database.driver === 'postgres' ? new WakeupSender(database.db, INBOX_CHANNEL) : undefined;
  const worker = new InboxWorker({
    db: database.db,
    config,
    logger,
    providers,
    activity,
    onCommitted: deliveriesEnabled ? () => deliveryWorker.notify() : undefined,
  });
  const app = createApp({
    config,
    database,
    logger,
    providers,
    onStored: config.worker.enabled ? () => worker.notify() : undefined,
    claims: config.worker.enabled ? worker : undefined,
    // Once per committed insert, not per webhook: one NOTIFY stands for the whole group commit.
    onBatchStored: inboxWakeups ? () => inboxWakeups.poke() : undefined,
    wake: config.worker.enabled ? () => worker.notify() : undefined,
    deliveries: {
      http: deliveryWorker.http,
      wake: deliveriesEnabled ? () => deliveryWorker.notify() : () => {},
      resolve: options.resolve,
    },
    metrics,
    activity,
    queue,
  });
  if (config.worker.enabled) worker.start();
  // Webhooks stored by other processes (ingest-only instances) wake this worker at once.
  const wakeups =
    config.worker.enabled && database.driver === 'postgres' && config.databaseUrl
      ? listenForWakeups(config.databaseUrl, { [INBOX_CHANNEL]: () => worker.notify() }, logger, (pid) =>
          database.ownsBackend(pid),
        )
      : null;
  if (deliveriesEnabled) deliveryWorker.start();
  const retention =
    config.worker.enabled && config.retentionDays > 0
      ? new RetentionJob({
          db: database.db,
          logger,
          days: config.retentionDays,
          intervalMs: config.retentionIntervalMs,
        })
      : null;
  retention?.start();
  // Providers' own background work (imports from their APIs) runs where the worker runs.
  const background = config.worker.enabled
    ? Object.values(providers).flatMap((p) => p.background?.({ config, db: database.db, logger }) ?? [])
    : [];
  for (const job of background) job.start();
  return {
    app,
    database,
    worker,
    deliveryWorker,
    retention,
    metrics,
    counts,
    activity,
    close: async () => {
      // The retention job finishes its batch in flight (one short statement), the worker its events in hand.
      // The delivery worker finishes the attempts in flight (each bounded by DELIVERY_TIMEOUT_MS).
      await wakeups?.close();
      await Promise.all([
        worker.stop(),
        retention?.stop(),
        deliveryWorker.stop(),
        ...background.map((job) => job.stop()),
      ]);
      await counts.stop();
      await database.close();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { Config } from '../../src/config/config';
import { loadConfig } from '../../src/contract/load-config';
import { createLogger } from '../../src/log/logger';
import { openRuntime, type Runtime } from '../../src/runtime';
import { claimEvents } from '../../src/inbox/claim';
import { processEvents, type ProcessOutcome } from '../../src/worker/process';
import { markDeadAndTell } from '../../src/operational/inbox-events';
import { providers as defaultProviders } from '../../providers';
import type { ProviderRegistry } from '../../src/contract/provider';
import { queryRows } from '../../src/db/rows';
import type { SQL } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Resolver } from '../../src/deliveries/network-guard';
import { providerTestEnv, TEST_SECRETS } from './test-secrets';
import { expectDebugLines, registerSecretsIn } from './log-capture';

export type DatabaseKind = 'pglite' | 'postgres';

/** The PostgreSQL server the suite may use (see global-setup), or undefined when there is none. */
export const postgresServerUrl = (): string | undefined => process.env.HOOKPORT_TEST_PG_URL;

/** The databases to run integration suites against: PGlite always, PostgreSQL when available. */
export function databaseKinds(): DatabaseKind[] {
  return postgresServerUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, empty database on the test server; returns its URL and a function that drops it. */
export async function createPostgresDatabase(
  serverUrl = postgresServerUrl()!,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hookport_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** For hooks and tests that open a harness: PGlite's start-up alone can take seconds on a busy machine. */
export const OPEN_TIMEOUT_MS = 120_000;

export { TEST_SECRETS };

export interface Harness {
  kind: DatabaseKind;
  config: Config;
  runtime: Runtime;
  http: () => ReturnType<typeof request>;
  /** Runs the worker until no event is due; returns the outcomes in order. */
  drain(): Promise<ProcessOutcome[]>;
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The provider registry (default: the real one), e.g. with a provider wrapped to pause mid-event. */
  providers?: ProviderRegistry;
  /** Another PostgreSQL server to create the database on (a test that stops its server). */
  postgresServerUrl?: string;
  /** The runtime's logger (default: silent). */
  logger?: Logger;
  /** Name resolution for the deliveries' network guard (a name that resolves to 127.0.0.1). */
  resolve?: Resolver;
}

/**
 * A Hookport runtime on a fresh database of the given kind, with every provider configured and the
 * background worker off (tests drive it with drain()). `env` overrides any variable.
 */
export async function openHarness(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const providers = options.providers ?? defaultProviders;
  const pg = kind === 'postgres' ? await createPostgresDatabase(options.postgresServerUrl) : undefined;
  const settings = {
    DATA_DIR: 'memory://',
    DATABASE_URL: pg?.url,
    ...providerTestEnv(providers),
    WORKER_ENABLED: 'false',
    DELIVERY_WORKER_ENABLED: 'false',
    WORKER_RETRY_BASE_MS: '1',
    ...env,
  };
  registerSecretsIn(settings); // every credential the harness runs with, a test's own too, is scanned for in the logs
  const config = loadConfig(settings, providers);
  const logger = options.logger ?? createLogger('error', true);
  const runtime = await openRuntime(config, logger, providers, { resolve: options.resolve });
  // A test may shut the runtime down itself (graceful shutdown); h.close() must still clean up.
  const closeRuntime = runtime.close;
  let closing: Promise<void> | undefined;
  runtime.close = () => (closing ??= closeRuntime());
  const deps = { db: runtime.database.db, config, logger, providers, activity: runtime.activity };
  return {
    kind,
    config,
    runtime,
    http: () => request(runtime.app),
    async drain() {
      const outcomes: ProcessOutcome[] = [];
      for (;;) {
        const batch = await claimEvents(runtime.database.db, {
          limit: 10,
          leaseSeconds: config.worker.leaseSeconds,
          maxAttempts: config.worker.maxAttempts,
          deadLetter: markDeadAndTell,
        });
        if (batch.length === 0) {
          // Each processed event is logged at debug level: the log capture must have seen them.
          expectDebugLines(outcomes.filter((o) => o === 'processed').length);
          return outcomes;
        }
        // Batches, as the worker takes them: each is applied in one transaction.
        outcomes.push(...(await processEvents(deps, batch)));
      }
    },
    rows: (query) => queryRows(runtime.database.db, query),
    async close() {
      await runtime.close();
      await pg?.drop();
    },
  };
}

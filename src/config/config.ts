import { z } from 'zod';
import { isKeyText, SecretBox } from '../crypto/secret-box';
import {
  bool,
  durationSchema,
  durationListSchema,
  httpUrl,
  int,
  optionalText,
  secretList,
  type SettingsProblem,
} from './env';
import { tracingEnv, tracingSettings, type TracingSettings } from './tracing';

/** Thrown when the environment cannot be turned into a Config; names the variable, never its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DAY_MS = 24 * 3_600_000;
/** DELIVERY_RETRY_SCHEDULE's default: 5s,5m,30m,2h,5h,10h,10h (about 27.6 hours in all). */
const DEFAULT_RETRY_SCHEDULE = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

const postgresUrl = optionalText.pipe(
  z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
);

/** The variables every deployment reads; each provider declares its own (providers/<name>/settings.ts). */
/** Fewer distinct characters than this (32 × `a`, a short phrase repeated) is refused at start-up. */
const ADMIN_TOKEN_MIN_DISTINCT = 16;

export const coreEnv = {
  PORT: int(0, 65535, 3000),
  HOST: optionalText.transform((v) => v ?? '0.0.0.0'),
  // Express's `trust proxy`: a hop count, true/false, or the proxies' addresses and subnets.
  TRUST_PROXY: optionalText.transform((v): boolean | number | string => {
    if (v === undefined || v === 'false') return false;
    if (v === 'true') return true;
    return /^\d+$/.test(v) ? Number(v) : v;
  }),
  DATABASE_URL: postgresUrl,
  DATA_DIR: optionalText.transform((v) => v ?? './data'),
  // The Docker image sets it to false: a production container must not silently run non-durably.
  ALLOW_EMBEDDED_DATABASE: bool(true),
  // Request paths are appended to it, so a query or fragment would corrupt every signed URL.
  PUBLIC_BASE_URL: httpUrl.refine((v) => v === undefined || !/[?#]/.test(v), 'must have no query (?) or fragment (#)'),
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(LOG_LEVELS)
      .optional()
      .transform((v) => v ?? 'info'),
  ),
  MAX_BODY_BYTES: int(1, 100 * 1024 * 1024, 1024 * 1024),
  WORKER_ENABLED: bool(true),
  WORKER_CONCURRENCY: int(1, 1024, 256),
  WORKER_MAX_ATTEMPTS: int(1, 100, 8),
  WORKER_LEASE_SECONDS: int(5, 3600, 15),
  WORKER_SWEEP_MS: int(100, 600_000, 1000),
  WORKER_RETRY_BASE_MS: int(1, 3_600_000, 5000),
  WORKER_MAX_DEFER_SECONDS: int(1, 7 * 24 * 3600, 3600),
  DATABASE_POOL_SIZE: int(1, 200, 20),
  DATABASE_TIMEOUT_MS: int(100, 60_000, 3000),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 25_000),
  // Slow clients: how long the headers, the whole request, and an idle kept-alive connection may take.
  HTTP_HEADERS_TIMEOUT_MS: int(1, 600_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(1, 3_600_000, 30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1, 600_000, 5_000),
  HEALTH_CACHE_MS: int(0, 60_000, 5000),
  // Bearer token for /metrics; unset leaves it open (counts only, no payloads).
  METRICS_TOKEN: optionalText,
  // The operator credential (admin API bearer, console sign-in); unset closes /admin entirely.
  ADMIN_TOKEN: optionalText
    .refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters')
    .refine(
      (v) => v === undefined || new Set(v).size >= ADMIN_TOKEN_MIN_DISTINCT,
      `must not be trivially guessable: use at least ${ADMIN_TOKEN_MIN_DISTINCT} distinct characters (openssl rand -base64 32)`,
    ),
  // Keys for secrets at rest: the first seals, any opens (rotation); unset stores them plainly.
  HOOKPORT_ENCRYPTION_KEY: secretList.refine(
    (keys) => keys.every(isKeyText),
    'each key must be the base64 of 32 random bytes (openssl rand -base64 32), comma-separated for rotation',
  ),
  // Finished inbox rows older than this are deleted; 0 keeps everything.
  RETENTION_DAYS: int(0, 36_500, 30),
  // How often the retention job looks for rows to delete (processes that run the worker).
  RETENTION_INTERVAL_MS: int(1000, 7 * 24 * 3_600_000, 3_600_000),
  // Bytes of webhook bodies received at once, before verification (many slow forged requests).
  INGEST_MAX_BUFFERED_BYTES: int(1024, 4 * 1024 * 1024 * 1024, 64 * 1024 * 1024),
  // Slow forged uploads: a webhook body must keep arriving at this rate once the grace has passed.
  WEBHOOK_BODY_MIN_BYTES_PER_SECOND: int(0, 1024 * 1024 * 1024, 64 * 1024),
  WEBHOOK_BODY_GRACE_MS: int(100, 600_000, 5000),
  // Webhook bodies one client address may be sending at once (before they are verified).
  WEBHOOK_UPLOADS_PER_ADDRESS: int(1, 100_000, 64),
  // Webhooks refused 401 per client address per minute before the rest are answered 429; 0: no limit.
  WEBHOOK_REFUSALS_PER_ADDRESS: int(0, 1_000_000, 0),
  // Outbound deliveries of canonical events to subscriptions.
  DELIVERY_WORKER_ENABLED: bool(true),
  DELIVERY_CONCURRENCY: int(1, 1024, 128),
  DELIVERY_SUBSCRIPTION_CONCURRENCY: int(1, 1024, 16),
  DELIVERY_TIMEOUT_MS: int(100, 300_000, 15_000),
  DELIVERY_RETRY_SCHEDULE: optionalText.pipe(
    durationListSchema.optional().transform((v) => v ?? DEFAULT_RETRY_SCHEDULE),
  ),
  DELIVERY_DISABLE_AFTER: optionalText.pipe(durationSchema.optional().transform((v) => v ?? 5 * DAY_MS)),
  DELIVERY_SECRET_OVERLAP: optionalText.pipe(durationSchema.optional().transform((v) => v ?? DAY_MS)),
  DELIVERY_ALLOW_PRIVATE_NETWORKS: bool(false),
  DELIVERY_LEASE_SECONDS: int(1, 3600, 30),
  DELIVERY_SWEEP_MS: int(10, 600_000, 1000),
  // OpenTelemetry tracing: off unless an OTLP endpoint is set (src/config/tracing.ts).
  ...tracingEnv,
};

export type CoreEnv = z.output<z.ZodObject<typeof coreEnv>>;

/** The settings that name no provider. */
export interface CoreConfig {
  port: number;
  host: string;
  /** Which proxy hops to trust for the client address (X-Forwarded-For); false: the socket's own. */
  trustProxy: boolean | number | string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicBaseUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  maxBodyBytes: number;
  worker: {
    enabled: boolean;
    concurrency: number;
    maxAttempts: number;
    leaseSeconds: number;
    sweepMs: number;
    retryBaseMs: number;
    /** How long an event may be deferred (throttling) without using attempts. */
    maxDeferSeconds: number;
  };
  database: { poolSize: number; timeoutMs: number };
  shutdownTimeoutMs: number;
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** How long /health reuses its queue and provider figures (0: every request asks the database). */
  healthCacheMs: number;
  /** When set, GET /metrics requires `Authorization: Bearer <it>`. */
  metricsToken: string | undefined;
  /** The operator credential for /admin/api and the console; unset: both answer 503. */
  adminToken: string | undefined;
  /**
   * Seals and opens the secrets Hookport stores (HOOKPORT_ENCRYPTION_KEY); without a key it stores
   * them as given. In the config so every surface that reads a stored secret has the same keys.
   */
  secretBox: SecretBox;
  /** Days processed/ignored inbox rows are kept (0: forever). */
  retentionDays: number;
  /** From the end of one retention pass to the start of the next. */
  retentionIntervalMs: number;
  /** Webhook body bytes held at once before verification, shared out per provider (INGEST_MAX_BUFFERED_BYTES). */
  ingestMaxBufferedBytes: number;
  /** What one webhook upload, and one client address, may take before the body is verified (WEBHOOK_*). */
  webhookUploads: {
    /** 0: no minimum rate. */
    minBytesPerSecond: number;
    graceMs: number;
    perAddress: number;
    /** 401s per address per minute before 429; 0: not limited. */
    refusalsPerAddress: number;
  };
  deliveries: DeliveryConfig;
  tracing: TracingSettings;
}

/** Outbound deliveries (DELIVERY_*). */
export interface DeliveryConfig {
  /** Run the delivery worker in this process. */
  workerEnabled: boolean;
  /** Deliveries one process sends at once. */
  concurrency: number;
  /** Deliveries in flight to one subscription at once (across instances, counted in the database). */
  perSubscription: number;
  /** The whole exchange: connect, send, answer headers and body. */
  timeoutMs: number;
  /** The delay before each retry, in ms; after the last, a delivery is dead. */
  retryScheduleMs: readonly number[];
  /** A subscription whose every attempt failed for this long is disabled. */
  disableAfterMs: number;
  /** After a rotation, how long deliveries carry a signature with the previous secret too. */
  secretOverlapMs: number;
  /** Allow destinations on loopback, private, link-local, … addresses (tests, trusted networks). */
  allowPrivateNetworks: boolean;
  leaseSeconds: number;
  /** How often the delivery worker looks for due retries and expired leases. */
  sweepMs: number;
}

export interface Config extends CoreConfig {
  /** Each registered provider's settings by its name; read through the provider's `settings.of(config)`. */
  providers: Readonly<Record<string, unknown>>;
  /** Every secret the providers' settings hold (as each declares them), for scrubbing error text. */
  secrets: readonly string[];
  /** The largest webhook body each provider accepts, by its name (MAX_BODY_BYTES, <PROVIDER>_MAX_BODY_BYTES). */
  bodyLimits: Readonly<Record<string, number>>;
  /** What start-up logs and `config check` lists, but does not stop for (a name Hookport does not read). */
  warnings: readonly SettingsProblem[];
}

/**
 * Names the receivers Hookport replaces read, which Hookport does not, with the variable to set
 * instead: set, they would otherwise be ignored without a word.
 */
export const CORE_NAMES_NOT_READ: Readonly<Record<string, string>> = {
  WEBHOOK_TIMEOUT: 'DELIVERY_TIMEOUT_MS',
  WEBHOOK_MAX_RETRIES: 'DELIVERY_RETRY_SCHEDULE',
};

/** Asks for unverified webhooks, which Hookport never accepts: set to anything but true, start-up stops. */
export const UNVERIFIED_MODE = 'VERIFY_WEBHOOK_SIGNATURES';

/** Checks across core variables, run once each has parsed. */
export function checkCoreEnv(e: CoreEnv): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push({
      variable: 'HTTP_HEADERS_TIMEOUT_MS',
      message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    });
  }
  if (e.INGEST_MAX_BUFFERED_BYTES < e.MAX_BODY_BYTES) {
    problems.push({
      variable: 'INGEST_MAX_BUFFERED_BYTES',
      message: 'must be at least MAX_BODY_BYTES (else a body at the limit could never be received)',
    });
  }
  if (!e.DATABASE_URL && !e.ALLOW_EMBEDDED_DATABASE) {
    problems.push({
      variable: 'DATABASE_URL',
      message:
        'required because ALLOW_EMBEDDED_DATABASE=false (the Docker image sets it): ' +
        'set DATABASE_URL to a PostgreSQL server (docker-compose.yml runs one), or set ALLOW_EMBEDDED_DATABASE=true to accept ' +
        'the embedded database, which survives a process crash but not a power loss or an OS crash',
    });
  }
  return problems;
}

/** The parsed core variables as the rest of Hookport reads them. */
export function buildCoreConfig(e: CoreEnv): CoreConfig {
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    worker: {
      enabled: e.WORKER_ENABLED,
      concurrency: e.WORKER_CONCURRENCY,
      maxAttempts: e.WORKER_MAX_ATTEMPTS,
      leaseSeconds: e.WORKER_LEASE_SECONDS,
      sweepMs: e.WORKER_SWEEP_MS,
      retryBaseMs: e.WORKER_RETRY_BASE_MS,
      maxDeferSeconds: e.WORKER_MAX_DEFER_SECONDS,
    },
    database: { poolSize: e.DATABASE_POOL_SIZE, timeoutMs: e.DATABASE_TIMEOUT_MS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    healthCacheMs: e.HEALTH_CACHE_MS,
    metricsToken: e.METRICS_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    secretBox: SecretBox.fromTexts(e.HOOKPORT_ENCRYPTION_KEY),
    retentionDays: e.RETENTION_DAYS,
    retentionIntervalMs: e.RETENTION_INTERVAL_MS,
    ingestMaxBufferedBytes: e.INGEST_MAX_BUFFERED_BYTES,
    webhookUploads: {
      minBytesPerSecond: e.WEBHOOK_BODY_MIN_BYTES_PER_SECOND,
      graceMs: e.WEBHOOK_BODY_GRACE_MS,
      perAddress: e.WEBHOOK_UPLOADS_PER_ADDRESS,
      refusalsPerAddress: e.WEBHOOK_REFUSALS_PER_ADDRESS,
    },
    deliveries: {
      workerEnabled: e.DELIVERY_WORKER_ENABLED,
      concurrency: e.DELIVERY_CONCURRENCY,
      perSubscription: e.DELIVERY_SUBSCRIPTION_CONCURRENCY,
      timeoutMs: e.DELIVERY_TIMEOUT_MS,
      retryScheduleMs: e.DELIVERY_RETRY_SCHEDULE,
      disableAfterMs: e.DELIVERY_DISABLE_AFTER,
      secretOverlapMs: e.DELIVERY_SECRET_OVERLAP,
      allowPrivateNetworks: e.DELIVERY_ALLOW_PRIVATE_NETWORKS,
      leaseSeconds: e.DELIVERY_LEASE_SECONDS,
      sweepMs: e.DELIVERY_SWEEP_MS,
    },
    tracing: tracingSettings(e),
  };
}

import { z } from 'zod';
import { Webhook } from 'svix';

/** Thrown when the environment cannot be turned into a Config; names the variable, never its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A comma-separated list (secret rotation); blanks dropped; empty list means "not configured". */
const secretList = optionalText.transform((v) =>
  v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== ''),
);

const int = (min: number, max: number, fallback: number) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional()
      .transform((v) => v ?? fallback),
  );

const bool = (fallback: boolean) =>
  optionalText.pipe(
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
      .optional()
      .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v))),
  );

const httpUrl = optionalText.pipe(
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .transform((v) => v?.replace(/\/+$/, '')),
);

const postgresUrl = optionalText.pipe(
  z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
);

const MIN_RESEND_KEY_BYTES = 24;

const resendSecrets = secretList.superRefine((secrets, ctx) => {
  secrets.forEach((secret, i) => {
    if (!secret.startsWith('whsec_')) {
      ctx.addIssue({ code: 'custom', message: `secret #${i + 1} must start with whsec_ (copy it from Resend's webhook page)` });
      return;
    }
    try {
      new Webhook(secret);
    } catch {
      ctx.addIssue({ code: 'custom', message: `secret #${i + 1} is not whsec_ followed by base64` });
      return;
    }
    // An empty or truncated key would let anyone sign: Standard Webhooks keys are 24 to 64 bytes.
    if (Buffer.from(secret.slice('whsec_'.length), 'base64').length < MIN_RESEND_KEY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `secret #${i + 1} is shorter than ${MIN_RESEND_KEY_BYTES} bytes; copy the whole signing secret from Resend`,
      });
    }
  });
});

const envSchema = z.object({
  PORT: int(0, 65535, 3000),
  HOST: optionalText.transform((v) => v ?? '0.0.0.0'),
  DATABASE_URL: postgresUrl,
  DATA_DIR: optionalText.transform((v) => v ?? './data'),
  // The Docker image sets it to false: a production container must not silently run non-durably.
  ALLOW_EMBEDDED_DATABASE: bool(true),
  // Request paths are appended to it, so a query or fragment would corrupt every signed URL.
  PUBLIC_BASE_URL: httpUrl.refine((v) => v === undefined || !/[?#]/.test(v), 'must have no query (?) or fragment (#)'),
  TWILIO_AUTH_TOKEN: secretList,
  RESEND_WEBHOOK_SECRET: resendSecrets,
  JOBBER_CLIENT_SECRET: secretList,
  JOBBER_CLIENT_ID: optionalText,
  JOBBER_API_URL: httpUrl.transform((v) => v ?? 'https://api.getjobber.com/api/graphql'),
  JOBBER_OAUTH_URL: httpUrl.transform((v) => v ?? 'https://api.getjobber.com/api/oauth'),
  JOBBER_GRAPHQL_VERSION: optionalText.transform((v) => v ?? '2025-01-20'),
  // HTTP Basic splits user and password at the first colon (RFC 7617): such a user could never match.
  THUMBTACK_WEBHOOK_USERNAME: optionalText.refine((v) => v === undefined || !v.includes(':'), 'must not contain ":"'),
  THUMBTACK_WEBHOOK_PASSWORD: optionalText,
  THUMBTACK_API_URL: httpUrl.transform((v) => v ?? 'https://api.thumbtack.com'),
  /** OAuth access token for webhook management (`hookport thumbtack webhooks …`), not for receiving. */
  THUMBTACK_ACCESS_TOKEN: optionalText,
  LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).optional().transform((v) => v ?? 'info')),
  MAX_BODY_BYTES: int(1, 100 * 1024 * 1024, 1024 * 1024),
  WORKER_ENABLED: bool(true),
  WORKER_CONCURRENCY: int(1, 64, 16),
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
  // Bytes of webhook bodies received at once, before verification (many slow forged requests).
  INGEST_MAX_BUFFERED_BYTES: int(1024, 4 * 1024 * 1024 * 1024, 64 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicBaseUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  maxBodyBytes: number;
  twilio: { authTokens: string[] };
  resend: { secrets: string[] };
  jobber: {
    clientSecrets: string[];
    clientId: string | undefined;
    apiUrl: string;
    /** Base of Jobber's OAuth endpoints: `<oauthUrl>/authorize` and `<oauthUrl>/token`. */
    oauthUrl: string;
    /** Sent as X-JOBBER-GRAPHQL-VERSION. */
    graphqlVersion: string;
  };
  thumbtack: {
    username: string | undefined;
    password: string | undefined;
    apiUrl: string;
    accessToken: string | undefined;
  };
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
  /** Webhook body bytes held at once before verification; over it, 503 (INGEST_MAX_BUFFERED_BYTES). */
  ingestMaxBufferedBytes: number;
}

/** Parses the environment once. Throws ConfigError listing every bad variable by name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? '?')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.TWILIO_AUTH_TOKEN.length > 0 && !e.PUBLIC_BASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_BASE_URL: required when TWILIO_AUTH_TOKEN is set (Twilio signs the public URL it calls)',
    );
  }
  if (Boolean(e.THUMBTACK_WEBHOOK_USERNAME) !== Boolean(e.THUMBTACK_WEBHOOK_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration:\n  THUMBTACK_WEBHOOK_PASSWORD: set both THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD, or neither',
    );
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  if (e.INGEST_MAX_BUFFERED_BYTES < e.MAX_BODY_BYTES) {
    throw new ConfigError(
      'Invalid configuration:\n  INGEST_MAX_BUFFERED_BYTES: must be at least MAX_BODY_BYTES (else a body at the limit could never be received)',
    );
  }
  if (!e.DATABASE_URL && !e.ALLOW_EMBEDDED_DATABASE) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: required because ALLOW_EMBEDDED_DATABASE=false (the Docker image sets it): ' +
        'set DATABASE_URL to a PostgreSQL server (docker-compose.yml runs one), or set ALLOW_EMBEDDED_DATABASE=true to accept ' +
        'the embedded database, which survives a process crash but not a power loss or an OS crash',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    twilio: { authTokens: e.TWILIO_AUTH_TOKEN },
    resend: { secrets: e.RESEND_WEBHOOK_SECRET },
    jobber: {
      clientSecrets: e.JOBBER_CLIENT_SECRET,
      clientId: e.JOBBER_CLIENT_ID,
      apiUrl: e.JOBBER_API_URL,
      oauthUrl: e.JOBBER_OAUTH_URL,
      graphqlVersion: e.JOBBER_GRAPHQL_VERSION,
    },
    thumbtack: {
      username: e.THUMBTACK_WEBHOOK_USERNAME,
      password: e.THUMBTACK_WEBHOOK_PASSWORD,
      apiUrl: e.THUMBTACK_API_URL,
      accessToken: e.THUMBTACK_ACCESS_TOKEN,
    },
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
    ingestMaxBufferedBytes: e.INGEST_MAX_BUFFERED_BYTES,
  };
}

import { z } from 'zod';
import { defineSettings, durationSchema, httpUrl, optionalText, secretList } from '../../src/provider';

export interface JobberSettings {
  /** The app's OAuth client secrets (they sign webhooks); several during a rotation. */
  clientSecrets: string[];
  clientId: string | undefined;
  apiUrl: string;
  /** Base of Jobber's OAuth endpoints: `<oauthUrl>/authorize` and `<oauthUrl>/token`. */
  oauthUrl: string;
  /** Sent as X-JOBBER-GRAPHQL-VERSION. */
  graphqlVersion: string;
  /** JOBBER_RECONCILE_INTERVAL: from the end of one pass over an account to the next; 0 turns reconciliation off. */
  reconcileIntervalMs: number;
}

const DEFAULT_RECONCILE_INTERVAL_MS = 6 * 3_600_000;

/** `0` (off), or a duration of at least a second (`30m`, `6h`). */
const reconcileInterval = optionalText.pipe(
  z
    .union(
      [z.literal('0').transform(() => 0), durationSchema.refine((ms) => ms >= 1000, 'must be 0 (off) or at least 1s')],
      {
        error: 'must be 0 (off) or a duration such as 30m, 6h or 1d',
      },
    )
    .optional()
    .transform((v) => v ?? DEFAULT_RECONCILE_INTERVAL_MS),
);

export const jobberSettings = defineSettings('jobber', {
  env: {
    JOBBER_CLIENT_SECRET: secretList,
    JOBBER_CLIENT_ID: optionalText,
    JOBBER_API_URL: httpUrl.transform((v) => v ?? 'https://api.getjobber.com/api/graphql'),
    JOBBER_OAUTH_URL: httpUrl.transform((v) => v ?? 'https://api.getjobber.com/api/oauth'),
    JOBBER_GRAPHQL_VERSION: optionalText.transform((v) => v ?? '2025-01-20'),
    JOBBER_RECONCILE_INTERVAL: reconcileInterval,
  },
  exampleEnv: { JOBBER_CLIENT_SECRET: 'jobber-test-client-secret-0123456789' },
  build: (env): JobberSettings => ({
    clientSecrets: env.JOBBER_CLIENT_SECRET,
    clientId: env.JOBBER_CLIENT_ID,
    apiUrl: env.JOBBER_API_URL,
    oauthUrl: env.JOBBER_OAUTH_URL,
    graphqlVersion: env.JOBBER_GRAPHQL_VERSION,
    reconcileIntervalMs: env.JOBBER_RECONCILE_INTERVAL,
  }),
  secrets: (s) => s.clientSecrets,
  // What the receiver Hookport replaces read: Jobber signs webhooks with the app's client secret.
  notRead: {
    JOBBER_WEBHOOK_SECRET: 'JOBBER_CLIENT_SECRET',
    JOBBER_API_KEY: 'JOBBER_CLIENT_ID',
    JOBBER_API_SECRET: 'JOBBER_CLIENT_SECRET',
    JOBBER_BASE_URL: 'JOBBER_API_URL',
  },
});

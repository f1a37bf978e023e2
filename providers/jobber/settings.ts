import { httpUrl, optionalText, secretList } from '../../src/env';
import { defineSettings } from '../../src/provider-settings';

export interface JobberSettings {
  /** The app's OAuth client secrets (they sign webhooks); several during a rotation. */
  clientSecrets: string[];
  clientId: string | undefined;
  apiUrl: string;
  /** Base of Jobber's OAuth endpoints: `<oauthUrl>/authorize` and `<oauthUrl>/token`. */
  oauthUrl: string;
  /** Sent as X-JOBBER-GRAPHQL-VERSION. */
  graphqlVersion: string;
}

export const jobberSettings = defineSettings('jobber', {
  env: {
    JOBBER_CLIENT_SECRET: secretList,
    JOBBER_CLIENT_ID: optionalText,
    JOBBER_API_URL: httpUrl.transform((v) => v ?? 'https://api.getjobber.com/api/graphql'),
    JOBBER_OAUTH_URL: httpUrl.transform((v) => v ?? 'https://api.getjobber.com/api/oauth'),
    JOBBER_GRAPHQL_VERSION: optionalText.transform((v) => v ?? '2025-01-20'),
  },
  exampleEnv: { JOBBER_CLIENT_SECRET: 'jobber-test-client-secret-0123456789' },
  build: (env): JobberSettings => ({
    clientSecrets: env.JOBBER_CLIENT_SECRET,
    clientId: env.JOBBER_CLIENT_ID,
    apiUrl: env.JOBBER_API_URL,
    oauthUrl: env.JOBBER_OAUTH_URL,
    graphqlVersion: env.JOBBER_GRAPHQL_VERSION,
  }),
  secrets: (s) => s.clientSecrets,
});

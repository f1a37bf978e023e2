import { defineSettings, httpUrl, optionalText } from '../../src/provider';

export interface ThumbtackSettings {
  /** The Basic credentials registered on the webhook. */
  username: string | undefined;
  password: string | undefined;
  apiUrl: string;
  /** A static OAuth access token for webhook management; a connected account's token is used first. */
  accessToken: string | undefined;
  /** The OAuth app (connect a Thumbtack account at /oauth/thumbtack/connect). */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Base of Thumbtack's OAuth endpoints: `<oauthUrl>/authorize` and `<oauthUrl>/token` (unconfirmed paths). */
  oauthUrl: string;
  /** Space-separated scopes asked for at connect. */
  oauthScopes: string;
}

export const DEFAULT_OAUTH_SCOPES =
  'supply::businesses.read supply::webhooks.read supply::webhooks.write offline_access';

export const thumbtackSettings = defineSettings('thumbtack', {
  env: {
    // HTTP Basic splits user and password at the first colon (RFC 7617): such a user could never match.
    THUMBTACK_WEBHOOK_USERNAME: optionalText.refine((v) => v === undefined || !v.includes(':'), 'must not contain ":"'),
    THUMBTACK_WEBHOOK_PASSWORD: optionalText,
    THUMBTACK_API_URL: httpUrl.transform((v) => v ?? 'https://api.thumbtack.com'),
    THUMBTACK_ACCESS_TOKEN: optionalText,
    THUMBTACK_CLIENT_ID: optionalText,
    THUMBTACK_CLIENT_SECRET: optionalText,
    THUMBTACK_OAUTH_URL: httpUrl.transform((v) => v ?? 'https://auth.thumbtack.com/oauth2'),
    THUMBTACK_OAUTH_SCOPES: optionalText.transform((v) => v ?? DEFAULT_OAUTH_SCOPES),
  },
  exampleEnv: {
    THUMBTACK_WEBHOOK_USERNAME: 'thumbtack-hooks',
    THUMBTACK_WEBHOOK_PASSWORD: 'kT9vQ2xLm4Rw8ZpN6sJd3Hf7Yc5Bg1Ae',
  },
  check: (env) =>
    Boolean(env.THUMBTACK_WEBHOOK_USERNAME) !== Boolean(env.THUMBTACK_WEBHOOK_PASSWORD)
      ? {
          variable: 'THUMBTACK_WEBHOOK_PASSWORD',
          message: 'set both THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD, or neither',
        }
      : Boolean(env.THUMBTACK_CLIENT_ID) !== Boolean(env.THUMBTACK_CLIENT_SECRET)
        ? {
            variable: 'THUMBTACK_CLIENT_SECRET',
            message: 'set both THUMBTACK_CLIENT_ID and THUMBTACK_CLIENT_SECRET, or neither',
          }
        : undefined,
  build: (env): ThumbtackSettings => ({
    username: env.THUMBTACK_WEBHOOK_USERNAME,
    password: env.THUMBTACK_WEBHOOK_PASSWORD,
    apiUrl: env.THUMBTACK_API_URL,
    accessToken: env.THUMBTACK_ACCESS_TOKEN,
    clientId: env.THUMBTACK_CLIENT_ID,
    clientSecret: env.THUMBTACK_CLIENT_SECRET,
    oauthUrl: env.THUMBTACK_OAUTH_URL.replace(/\/+$/, ''),
    oauthScopes: env.THUMBTACK_OAUTH_SCOPES,
  }),
  secrets: (s) => [s.password, s.accessToken, s.clientSecret],
});

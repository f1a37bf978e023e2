import { defineSettings, httpUrl, optionalText } from '../../src/provider';

export interface ThumbtackSettings {
  /** The Basic credentials registered on the webhook. */
  username: string | undefined;
  password: string | undefined;
  apiUrl: string;
  /** OAuth access token for webhook management (`hookport thumbtack webhooks …`), not for receiving. */
  accessToken: string | undefined;
}

export const thumbtackSettings = defineSettings('thumbtack', {
  env: {
    // HTTP Basic splits user and password at the first colon (RFC 7617): such a user could never match.
    THUMBTACK_WEBHOOK_USERNAME: optionalText.refine((v) => v === undefined || !v.includes(':'), 'must not contain ":"'),
    THUMBTACK_WEBHOOK_PASSWORD: optionalText,
    THUMBTACK_API_URL: httpUrl.transform((v) => v ?? 'https://api.thumbtack.com'),
    THUMBTACK_ACCESS_TOKEN: optionalText,
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
      : undefined,
  build: (env): ThumbtackSettings => ({
    username: env.THUMBTACK_WEBHOOK_USERNAME,
    password: env.THUMBTACK_WEBHOOK_PASSWORD,
    apiUrl: env.THUMBTACK_API_URL,
    accessToken: env.THUMBTACK_ACCESS_TOKEN,
  }),
  secrets: (s) => [s.password, s.accessToken],
});

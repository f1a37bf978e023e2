import { defineSettings, secretList } from '../../src/provider';

export interface TwilioSettings {
  /** Several during a rotation. */
  authTokens: string[];
}

export const twilioSettings = defineSettings('twilio', {
  env: { TWILIO_AUTH_TOKEN: secretList },
  exampleEnv: { TWILIO_AUTH_TOKEN: '12345abcdef12345abcdef12345abcde' },
  check: (env, core) =>
    env.TWILIO_AUTH_TOKEN.length > 0 && !core.publicBaseUrl
      ? {
          variable: 'PUBLIC_BASE_URL',
          message: 'required when TWILIO_AUTH_TOKEN is set (Twilio signs the public URL it calls)',
        }
      : undefined,
  build: (env): TwilioSettings => ({ authTokens: env.TWILIO_AUTH_TOKEN }),
  secrets: (s) => s.authTokens,
});

/**
 * The credentials every harness is configured with. Kept apart from harness.ts so the suite's
 * global teardown can read them without loading the runtime.
 */
export const TEST_SECRETS = {
  twilioToken: '12345abcdef12345abcdef12345abcde',
  resendSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  jobberClientSecret: 'jobber-test-client-secret-0123456789',
  publicBaseUrl: 'https://hooks.example.com',
  thumbtackUsername: 'thumbtack-hooks',
  thumbtackPassword: 'kT9vQ2xLm4Rw8ZpN6sJd3Hf7Yc5Bg1Ae',
};

/** Every provider configured with the test secrets: the settings the harness (and chaos) start with. */
export const PROVIDER_TEST_ENV = {
  PUBLIC_BASE_URL: TEST_SECRETS.publicBaseUrl,
  TWILIO_AUTH_TOKEN: TEST_SECRETS.twilioToken,
  RESEND_WEBHOOK_SECRET: TEST_SECRETS.resendSecret,
  JOBBER_CLIENT_SECRET: TEST_SECRETS.jobberClientSecret,
  THUMBTACK_WEBHOOK_USERNAME: TEST_SECRETS.thumbtackUsername,
  THUMBTACK_WEBHOOK_PASSWORD: TEST_SECRETS.thumbtackPassword,
};

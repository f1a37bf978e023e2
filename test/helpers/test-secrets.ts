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

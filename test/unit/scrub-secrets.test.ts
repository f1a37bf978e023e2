import { configuredSecrets, scrubSecrets } from '../../src/http/redact';
import { loadConfig } from '../helpers/config';
import { TEST_SECRETS } from '../helpers/harness';

describe('scrubSecrets', () => {
  const secret = 'kT9v+Q2x/Lm4"Rw8=';

  it.each([
    ['as is', `client_id=a secret ${secret} end`],
    ['URL-encoded', `body: client_secret2=${encodeURIComponent(secret)}&x=1`],
    ['form-encoded', `body: x=${new URLSearchParams({ s: secret }).toString().slice(2)}`],
    ['JSON-escaped', JSON.stringify({ echoed: secret })],
  ])('removes a given secret %s', (_, text) => {
    const scrubbed = scrubSecrets(text, [secret]);
    expect(scrubbed).toContain('[redacted]');
    expect(scrubbed).not.toContain('kT9v');
  });

  it.each([
    ['a bearer credential', 'authorization: Bearer abcdefgh12345678', 'authorization: Bearer [redacted]'],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl was refused', 'token [redacted] was refused'],
    [
      'an OAuth field',
      '{"refresh_token":"r-123456","error":"invalid_grant"}',
      '{"refresh_token":"[redacted]","error":"invalid_grant"}',
    ],
    [
      'a form field',
      'grant_type=refresh_token&refresh_token=r-123456&client_secret=s3cr3t',
      'grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]',
    ],
  ])('removes %s even when not given', (_, text, expected) => {
    expect(scrubSecrets(text, [])).toBe(expected);
  });

  it('leaves ordinary text, and strings too short to be secrets, alone', () => {
    expect(scrubSecrets('Jobber API answered 400: Client not found', ['', 'a', undefined, null])).toBe(
      'Jobber API answered 400: Client not found',
    );
  });

  it('configuredSecrets lists every secret of the configuration', () => {
    const config = loadConfig({
      PUBLIC_BASE_URL: TEST_SECRETS.publicBaseUrl,
      TWILIO_AUTH_TOKEN: TEST_SECRETS.twilioToken,
      RESEND_WEBHOOK_SECRET: TEST_SECRETS.resendSecret,
      JOBBER_CLIENT_SECRET: `${TEST_SECRETS.jobberClientSecret},old-jobber-secret`,
      THUMBTACK_WEBHOOK_USERNAME: TEST_SECRETS.thumbtackUsername,
      THUMBTACK_WEBHOOK_PASSWORD: TEST_SECRETS.thumbtackPassword,
      THUMBTACK_ACCESS_TOKEN: 'thumbtack-access-token',
    });
    expect(configuredSecrets(config)).toEqual(
      expect.arrayContaining([
        TEST_SECRETS.twilioToken,
        TEST_SECRETS.resendSecret,
        TEST_SECRETS.resendSecret.slice('whsec_'.length),
        TEST_SECRETS.jobberClientSecret,
        'old-jobber-secret',
        TEST_SECRETS.thumbtackPassword,
        'thumbtack-access-token',
      ]),
    );
  });
});

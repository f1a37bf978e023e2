import { PROVIDER_TEST_ENV } from '../helpers/test-secrets';
import { Webhook } from 'svix';
import { providers } from '../../providers';
import { jobberSignature } from '../../providers/jobber/webhook/verify';
import { checkSvixHead, SVIX_TOLERANCE_SECONDS } from '../../providers/resend/precheck';
import { loadConfig } from '../helpers/config';
import type { RequestHead } from '../../src/contract/provider';
import { VerificationError } from '../../src/errors/hookport-error';
import { isBase64Digest } from '../../src/crypto/signature-shape';
import { basicAuthorization } from '../fakes/thumbtack-deliveries';
import { TEST_SECRETS } from '../helpers/harness';
import { signResend, signTwilioForm, signTwilioJson } from '../helpers/sign';
import { thrown } from './thrown';

const config = loadConfig({
  ...PROVIDER_TEST_ENV,
});

const precheck = (name: keyof typeof providers) => providers[name].createPrecheck!(config);
const head = (headers: Record<string, string | undefined>, url = '/webhooks/x'): RequestHead => ({ headers, url });
const refused = (run: () => void) => thrown(VerificationError, run);

describe('isBase64Digest', () => {
  it('accepts exactly the base64 of a digest of that size', () => {
    expect(isBase64Digest(jobberSignature('k', 'body'), 32)).toBe(true);
    expect(isBase64Digest(signTwilioForm('t', 'https://x', {}).signature, 20)).toBe(true);
  });

  it('refuses other lengths, alphabets and padding', () => {
    const sha256 = jobberSignature('k', 'body');
    for (const value of [
      sha256.slice(1),
      `${sha256}=`,
      `A${sha256}`,
      sha256.replace(/=$/, ''),
      `${sha256.slice(0, 42)}-_=`,
      '',
    ])
      expect(isBase64Digest(value, 32)).toBe(false);
    expect(isBase64Digest(sha256, 20)).toBe(false);
  });
});

describe('every provider declares a header pre-check', () => {
  it.each(Object.keys(providers))('%s', (name) => {
    expect(providers[name as keyof typeof providers].createPrecheck).toEqual(expect.any(Function));
  });
});

describe('Twilio pre-check', () => {
  const check = precheck('twilio');

  it('passes what Twilio signs: forms and JSON', () => {
    const url = `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`;
    expect(() =>
      check(head({ 'x-twilio-signature': signTwilioForm(TEST_SECRETS.twilioToken, url, { A: '1' }).signature })),
    ).not.toThrow();
    expect(() =>
      check(head({ 'x-twilio-signature': signTwilioJson(TEST_SECRETS.twilioToken, url, '{}').signature })),
    ).not.toThrow();
  });

  it('refuses a missing or malformed X-Twilio-Signature', () => {
    expect(refused(() => check(head({}))).message).toMatch(/missing X-Twilio-Signature/);
    for (const bad of ['x', 'A'.repeat(28), jobberSignature('k', 'b'), 'not base64 at all!!!!!!!!!=']) {
      expect(refused(() => check(head({ 'x-twilio-signature': bad }))).message).toMatch(/not a base64 HMAC-SHA1/);
    }
  });
});

describe('Jobber pre-check', () => {
  const check = precheck('jobber');

  it('passes a real signature, surrounding spaces included (the verifier trims them)', () => {
    const signature = jobberSignature(TEST_SECRETS.jobberClientSecret, '{}');
    expect(() => check(head({ 'x-jobber-hmac-sha256': signature }))).not.toThrow();
    expect(() => check(head({ 'x-jobber-hmac-sha256': ` ${signature} ` }))).not.toThrow();
  });

  it('refuses a missing or malformed X-Jobber-Hmac-SHA256', () => {
    expect(refused(() => check(head({}))).message).toMatch(/missing X-Jobber-Hmac-SHA256/);
    for (const bad of ['x', 'A'.repeat(44), signTwilioForm('t', 'https://x', {}).signature]) {
      expect(refused(() => check(head({ 'x-jobber-hmac-sha256': bad }))).message).toMatch(/not a base64 HMAC-SHA256/);
    }
  });
});

describe('Thumbtack pre-check: the whole credential check', () => {
  const check = precheck('thumbtack');

  it('passes the configured Basic credentials', () => {
    const authorization = basicAuthorization(TEST_SECRETS.thumbtackUsername, TEST_SECRETS.thumbtackPassword);
    expect(() => check(head({ authorization }))).not.toThrow();
  });

  it('refuses missing, malformed and wrong credentials', () => {
    for (const authorization of [
      undefined,
      'Bearer abc',
      basicAuthorization(TEST_SECRETS.thumbtackUsername, 'wrong-password'),
      basicAuthorization('someone-else', TEST_SECRETS.thumbtackPassword),
    ]) {
      const { message } = refused(() => check(head({ authorization })));
      expect(message).not.toContain(TEST_SECRETS.thumbtackPassword);
    }
  });

  it('refuses everything when the credentials are not configured', () => {
    const unconfigured = providers.thumbtack.createPrecheck!(loadConfig({}));
    refused(() => unconfigured(head({ authorization: basicAuthorization('', '') })));
  });
});

describe('Resend pre-check: the Svix headers and svix tolerance', () => {
  const NOW = Date.UTC(2026, 4, 1, 12);
  const at = (offsetSeconds: number) =>
    signResend(TEST_SECRETS.resendSecret, '{}', { timestamp: new Date(NOW + offsetSeconds * 1000) });

  it('passes headers signed by svix within the tolerance, svix-* or webhook-*', () => {
    expect(() => checkSvixHead(head(at(0)), NOW)).not.toThrow();
    expect(() => checkSvixHead(head(at(-SVIX_TOLERANCE_SECONDS)), NOW)).not.toThrow();
    expect(() => checkSvixHead(head(at(SVIX_TOLERANCE_SECONDS)), NOW)).not.toThrow();
    const svix = at(0);
    const unbranded = {
      'webhook-id': svix['svix-id'],
      'webhook-timestamp': svix['svix-timestamp'],
      'webhook-signature': svix['svix-signature'],
    };
    expect(() => checkSvixHead(head(unbranded), NOW)).not.toThrow();
  });

  it('refuses a stale or future timestamp, as svix would', () => {
    expect(refused(() => checkSvixHead(head(at(-SVIX_TOLERANCE_SECONDS - 1)), NOW)).message).toMatch(/too old/);
    expect(refused(() => checkSvixHead(head(at(SVIX_TOLERANCE_SECONDS + 1)), NOW)).message).toMatch(/too new/);
    // svix itself agrees: the same headers with a body fail its own check.
    const stale = at(-SVIX_TOLERANCE_SECONDS - 60);
    expect(() => new Webhook(TEST_SECRETS.resendSecret).verify('{}', stale)).toThrow(/too old/);
  });

  it('refuses a missing header, a timestamp that is not a number, or no v1 signature', () => {
    const good = at(0);
    for (const name of ['svix-id', 'svix-timestamp', 'svix-signature'] as const) {
      expect(refused(() => checkSvixHead(head({ ...good, [name]: undefined }), NOW)).message).toMatch(
        /missing svix-id/,
      );
    }
    expect(refused(() => checkSvixHead(head({ ...good, 'svix-timestamp': 'yesterday' }), NOW)).message).toMatch(
      /not a Unix time/,
    );
    expect(refused(() => checkSvixHead(head({ ...good, 'svix-signature': 'v1a,abc' }), NOW)).message).toMatch(/no v1/);
  });

  it('uses the real clock when wired as the provider hook', () => {
    const check = precheck('resend');
    expect(() => check(head(signResend(TEST_SECRETS.resendSecret, '{}')))).not.toThrow();
    refused(() =>
      check(head(signResend(TEST_SECRETS.resendSecret, '{}', { timestamp: new Date(Date.now() - 10 * 60_000) }))),
    );
  });
});

describe('body limits', () => {
  it('every provider takes bodies up to MAX_BODY_BYTES: none documents a lower maximum', () => {
    for (const provider of Object.values(providers)) {
      expect(provider.maxBodyBytes).toBeUndefined();
      expect(config.bodyLimits[provider.name]).toBe(config.maxBodyBytes);
    }
  });
});

import { createJobberVerifier } from './verify';
import type { RawRequest } from '../../../src/contract/provider';
import { VerificationError } from '../../../src/errors/hookport-error';
import { readJobberWebhook, signJobber } from '../../../test/fakes/jobber-fixtures';

const SECRET = 'current-client-secret';
const OLD_SECRET = 'previous-client-secret';
const body = readJobberWebhook('CLIENT_CREATE');

const request = (raw: string, signature?: string): RawRequest => ({
  body: Buffer.from(raw),
  headers: signature === undefined ? {} : { 'x-jobber-hmac-sha256': signature },
  url: '/webhooks/jobber',
});

describe('Jobber signature verification', () => {
  const verify = createJobberVerifier([SECRET]);

  it('accepts the signature Jobber computes over the raw body', () => {
    expect(() => verify(request(body, signJobber(SECRET, body)))).not.toThrow();
  });

  it('accepts a signature by any configured secret (rotation)', () => {
    const rotating = createJobberVerifier([SECRET, OLD_SECRET]);
    expect(() => rotating(request(body, signJobber(OLD_SECRET, body)))).not.toThrow();
  });

  it('refuses a request without the header', () => {
    expect(() => verify(request(body))).toThrow(
      new VerificationError('missing X-Jobber-Hmac-SHA256 header; is this request from Jobber?'),
    );
  });

  it('refuses an empty header', () => {
    expect(() => verify(request(body, ''))).toThrow(VerificationError);
  });

  it('refuses a signature made with another secret', () => {
    expect(() => verify(request(body, signJobber('someone-else', body)))).toThrow(
      /does not match; check JOBBER_CLIENT_SECRET/,
    );
  });

  it('refuses an altered body', () => {
    const altered = body.replace('CLIENT_CREATE', 'CLIENT_DESTROY');
    expect(() => verify(request(altered, signJobber(SECRET, body)))).toThrow(VerificationError);
  });

  it('refuses a body re-serialized with other whitespace (it must be the raw bytes)', () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(() => verify(request(pretty, signJobber(SECRET, body)))).toThrow(VerificationError);
  });

  it('refuses a truncated signature and one with extra characters', () => {
    const good = signJobber(SECRET, body);
    expect(() => verify(request(body, good.slice(0, -2)))).toThrow(VerificationError);
    expect(() => verify(request(body, `${good}==`))).toThrow(VerificationError);
  });

  it('refuses a hex digest of the right HMAC (Jobber sends base64)', () => {
    const hex = Buffer.from(signJobber(SECRET, body), 'base64').toString('hex');
    expect(() => verify(request(body, hex))).toThrow(VerificationError);
  });

  it('never puts the secret or the signature in its message', () => {
    const wrong = signJobber('someone-else', body);
    try {
      verify(request(body, wrong));
      throw new Error('expected a VerificationError');
    } catch (err) {
      expect((err as Error).message).not.toContain(SECRET);
      expect((err as Error).message).not.toContain(wrong);
    }
  });
});

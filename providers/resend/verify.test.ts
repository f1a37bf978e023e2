import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';
import { createResendVerifier } from './verify';
import type { RawRequest } from '../../src/contract/provider';
import { VerificationError } from '../../src/errors/hookport-error';
import { readFixture } from '../../test/helpers/fixtures';
import { signResend } from '../../test/helpers/sign';
import { thrown } from '../../test/unit/thrown';

// Published vector from svix's csharp/Svix.Tests/WebhookTest.cs (github.com/svix/svix-webhooks).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const SECRET = newSecret();
const OTHER_SECRET = newSecret();
const verify = createResendVerifier([SECRET]);
const BODY = readFixture('resend', 'email.delivered.json');

function request(body: string, headers: Record<string, string | undefined>): RawRequest {
  return { body: Buffer.from(body), url: '/webhooks/resend', headers };
}

function signed(body = BODY, options: { secret?: string; timestamp?: Date } = {}): RawRequest {
  return request(body, signResend(options.secret ?? SECRET, body, options));
}

const refused = (run: () => void) => thrown(VerificationError, run);

describe('resend verifier: published svix vector', () => {
  beforeEach(() => jest.useFakeTimers({ now: VECTOR.timestamp * 1000 }));
  afterEach(() => jest.useRealTimers());

  it('svix Webhook.sign reproduces the published signature', () => {
    expect(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('accepts the vector with the clock at its timestamp', () => {
    const headers = {
      'svix-id': VECTOR.id,
      'svix-timestamp': String(VECTOR.timestamp),
      'svix-signature': VECTOR.signature,
    };
    expect(() => createResendVerifier([VECTOR.secret])(request(VECTOR.body, headers))).not.toThrow();
  });
});

describe('resend verifier: refusals', () => {
  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('refuses a request without %s', (name) => {
    const { headers, body } = signed();
    const message = refused(() =>
      verify({ body, url: '/webhooks/resend', headers: { ...headers, [name]: undefined } }),
    ).message;
    expect(message).toMatch(/Missing required headers/);
  });

  it('refuses a signature made with another secret', () => {
    refused(() => verify(signed(BODY, { secret: OTHER_SECRET })));
  });

  it('refuses an altered body', () => {
    const { headers } = signed();
    refused(() => verify(request(BODY.replace('delivered', 'bounced'), headers)));
  });

  it('refuses a timestamp 6 minutes old', () => {
    const message = refused(() => verify(signed(BODY, { timestamp: new Date(Date.now() - 6 * 60_000) }))).message;
    expect(message).toMatch(/too old/);
  });

  it('refuses a timestamp 6 minutes in the future', () => {
    const message = refused(() => verify(signed(BODY, { timestamp: new Date(Date.now() + 6 * 60_000) }))).message;
    expect(message).toMatch(/too new/);
  });

  it('refuses a v1a entry even when it carries the right HMAC (only v1 is checked)', () => {
    const headers = signResend(SECRET, BODY);
    const mac = headers['svix-signature'].split(',')[1];
    refused(() => verify(request(BODY, { ...headers, 'svix-signature': `v1a,${mac}` })));
  });

  it('never puts the secret or a signature in the error message', () => {
    const headers = signResend(OTHER_SECRET, BODY);
    const { message } = refused(() => verify(request(BODY, headers)));
    for (const secret of [SECRET, OTHER_SECRET, SECRET.slice(6), headers['svix-signature'].slice(3)]) {
      expect(message).not.toContain(secret);
    }
  });

  it('fails closed when the library throws something other than a verification error', () => {
    // A body that is not a Buffer makes svix throw a plain Error before any signature is compared.
    const { headers } = signed();
    const notABuffer = new Uint8Array(Buffer.from(BODY)) as unknown as Buffer;
    refused(() => verify({ body: notABuffer, url: '/webhooks/resend', headers }));
  });
});

describe('resend verifier: what it accepts', () => {
  it('accepts one valid signature among invalid ones, skipping v1a entries', () => {
    const headers = signResend(SECRET, BODY);
    const bogus = `v1,${randomBytes(32).toString('base64')}`;
    const list = `v1a,${randomBytes(64).toString('base64')} ${bogus} ${headers['svix-signature']} ${bogus}`;
    expect(() => verify(request(BODY, { ...headers, 'svix-signature': list }))).not.toThrow();
  });

  it('accepts when any secret of a rotation list signed it', () => {
    expect(() => createResendVerifier([OTHER_SECRET, SECRET])(signed())).not.toThrow();
  });

  it('refuses when no secret of the rotation list signed it', () => {
    refused(() => createResendVerifier([OTHER_SECRET, newSecret()])(signed()));
  });

  it('accepts the unbranded webhook-* headers', () => {
    const h = signResend(SECRET, BODY);
    const headers = {
      'webhook-id': h['svix-id'],
      'webhook-timestamp': h['svix-timestamp'],
      'webhook-signature': h['svix-signature'],
    };
    expect(() => verify(request(BODY, headers))).not.toThrow();
  });

  it('accepts a validly signed body that is not JSON (stored, then dead-lettered by the worker)', () => {
    expect(() => verify(signed('this is not json {'))).not.toThrow();
  });
});

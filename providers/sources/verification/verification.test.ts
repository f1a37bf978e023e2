import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { VerificationError, type RawRequest } from '../../../src/provider';
import {
  createSourceVerifier,
  settleVerification,
  signSourceRequest,
  verificationInputSchema,
  type StoredVerification,
} from '.';
import { anyInput, strangerFor } from '../../../test/helpers/source-verifications';

const request = (headers: Record<string, string>, body: string): RawRequest => ({
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  body: Buffer.from(body),
  url: '/webhooks/sources/test',
});
const refuses = (verify: () => void, why?: RegExp) => {
  expect(verify).toThrow(VerificationError);
  if (why) expect(verify).toThrow(why);
};
const input = (value: unknown) => verificationInputSchema.parse(value);

describe('the GitHub preset', () => {
  // GitHub's "Validating webhook deliveries" example.
  const { verification, secrets, dedupeHeader } = settleVerification(
    input({ preset: 'github', secret: "It's a Secret to Everybody" }),
  );
  const verifier = createSourceVerifier(verification, secrets);
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("verifies GitHub's published example, deduped by X-GitHub-Delivery", () => {
    expect(dedupeHeader).toBe('X-GitHub-Delivery');
    expect(() => verifier.verify(request({ 'X-Hub-Signature-256': signature }, 'Hello, World!'))).not.toThrow();
  });

  it('refuses an altered body, a missing header and a malformed one before the body', () => {
    refuses(() => verifier.verify(request({ 'X-Hub-Signature-256': signature }, 'Hello, World?')), /does not match/);
    refuses(() => verifier.precheck(request({}, '')), /no X-Hub-Signature-256 header/);
    refuses(() => verifier.precheck(request({ 'X-Hub-Signature-256': 'sha256=abc' }, '')), /not a hex sha256 HMAC/);
    refuses(
      () => verifier.precheck(request({ 'X-Hub-Signature-256': signature.slice(7) }, '')),
      /start with "sha256="/,
    );
  });
});

describe('standard-webhooks, signed with the standardwebhooks library', () => {
  const [older, newer] = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'];
  const signed = (secret: string, at = new Date(), body = '{"type":"order.created"}') => {
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', at, body),
    };
    return request(headers, body);
  };

  it('accepts either secret while both are listed, and only those', () => {
    const verifier = createSourceVerifier({ type: 'standard-webhooks' }, [newer!, older!]);
    expect(() => verifier.verify(signed(newer!))).not.toThrow();
    expect(() => verifier.verify(signed(older!))).not.toThrow();
    const rotated = createSourceVerifier({ type: 'standard-webhooks' }, [newer!]);
    refuses(() => rotated.verify(signed(older!)), /does not match/);
  });

  it('refuses a stale and a future timestamp, and missing headers before the body', () => {
    const verifier = createSourceVerifier({ type: 'standard-webhooks' }, [newer!]);
    refuses(() => verifier.verify(signed(newer!, new Date(Date.now() - 6 * 60_000))), /timestamp/);
    refuses(() => verifier.verify(signed(newer!, new Date(Date.now() + 6 * 60_000))), /timestamp/);
    refuses(() => verifier.precheck(request({ 'webhook-id': 'x' }, '')), /no webhook-timestamp header/);
  });

  it('generates a secret when none is given, shown once', () => {
    const settled = settleVerification(input({ type: 'standard-webhooks' }));
    expect(settled.generated).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(settled.secrets).toEqual([settled.generated]);
    expect(() =>
      createSourceVerifier(settled.verification, settled.secrets).verify(signed(settled.generated!)),
    ).not.toThrow();
  });
});

describe('the Stripe preset, signed with the stripe library', () => {
  const stripe = new Stripe('sk_test_verification_suite');
  const secret = 'whsec_test_secret_for_the_stripe_preset';
  const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid' });
  const header = (timestamp?: number, key = secret) =>
    stripe.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp });
  const { verification, secrets } = settleVerification(input({ preset: 'stripe', secret }));

  it('is stored with Stripe’s own tolerance, and verifies what Stripe signs', () => {
    expect(verification).toEqual({ type: 'stripe', toleranceSeconds: 300 });
    const verifier = createSourceVerifier(verification, secrets);
    expect(() => verifier.verify(request({ 'Stripe-Signature': header() }, body))).not.toThrow();
  });

  it('refuses a stale signature, another secret and an altered body', () => {
    const now = Date.now();
    const verifier = createSourceVerifier(verification, secrets, () => now);
    refuses(
      () => verifier.verify(request({ 'Stripe-Signature': header(Math.floor(now / 1000) - 301) }, body)),
      /more than 300 s/,
    );
    refuses(() => verifier.verify(request({ 'Stripe-Signature': header(undefined, 'whsec_other') }, body)));
    refuses(() => verifier.verify(request({ 'Stripe-Signature': header() }, body.replace('paid', 'void'))));
  });
});

describe('basic and bearer: checked before the body', () => {
  it('takes literal Basic credentials, either password while rotating', () => {
    const verifier = createSourceVerifier({ type: 'basic', username: 'forms' }, ['new-password-1', 'old-password-1']);
    const basic = (text: string) => ({ Authorization: `Basic ${Buffer.from(text).toString('base64')}` });
    expect(() => verifier.precheck(request(basic('forms:new-password-1'), ''))).not.toThrow();
    expect(() => verifier.precheck(request(basic('forms:old-password-1'), ''))).not.toThrow();
    refuses(() => verifier.precheck(request(basic('forms:wrong-password'), '')), /not the source's/);
    refuses(() => verifier.precheck(request(basic('other:new-password-1'), '')), /not the source's/);
    refuses(() => verifier.precheck(request({ Authorization: 'Bearer x' }, '')), /not Basic/);
  });

  it('takes a Bearer token in Authorization, or the bare token in a header of its own', () => {
    const token = '0123456789abcdef0123';
    const auth = createSourceVerifier({ type: 'bearer', header: 'Authorization' }, [token]);
    expect(() => auth.precheck(request({ Authorization: `Bearer ${token}` }, ''))).not.toThrow();
    refuses(() => auth.precheck(request({ Authorization: token }, '')), /not a Bearer token/);
    const key = createSourceVerifier({ type: 'bearer', header: 'X-Api-Key' }, [token]);
    expect(() => key.precheck(request({ 'X-Api-Key': token }, ''))).not.toThrow();
    refuses(() => key.precheck(request({ 'X-Api-Key': `${token}0` }, '')), /not the source's/);
    expect(key.credentialHeaders).toEqual(['x-api-key']);
  });
});

describe('the verification schema', () => {
  it.each([
    [{ type: 'none' }, /cannot be unverified/],
    [{ type: 'md5' }, /cannot be unverified/],
    [{}, /cannot be unverified/],
    [{ type: 'standard-webhooks', secret: 'not-whsec' }, /whsec_/],
    [{ type: 'hmac', header: 'X Sig', algorithm: 'sha256', encoding: 'hex', secret: '12345678' }, /header name/],
    [{ type: 'hmac', header: 'X-Sig', algorithm: 'md5', encoding: 'hex', secret: '12345678' }, /algorithm/],
    [{ type: 'basic', username: 'a:b', password: '12345678' }, /must not contain ":"/],
    [{ type: 'bearer', token: 'short' }, /at least 16/],
    [{ preset: 'stripe', secret: 'sk_live_x' }, /whsec_/],
  ])('refuses %j', (value, why) => {
    const parsed = verificationInputSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(why);
  });
});

const signsBody = (v: StoredVerification) => v.type !== 'basic' && v.type !== 'bearer';

describe('any verification, properties', () => {
  it('round-trips through the API schema as JSON, unchanged', () => {
    fc.assert(
      fc.property(anyInput, (value) => {
        const stored = JSON.parse(JSON.stringify(value)) as unknown;
        expect(verificationInputSchema.parse(stored)).toEqual(value);
      }),
    );
  });

  it('verifies what its own signer produced with each of its secrets, and nothing else', () => {
    fc.assert(
      fc.property(anyInput, fc.string({ maxLength: 200 }), (value, body) => {
        const { verification, secrets: all } = settleVerification(verificationInputSchema.parse(value));
        const verifier = createSourceVerifier(verification, all);
        for (const secret of all) {
          const signed = request(signSourceRequest(verification, secret, body), body);
          verifier.precheck(signed);
          verifier.verify(signed);
          if (signsBody(verification)) refuses(() => verifier.verify({ ...signed, body: Buffer.from(`${body}.`) }));
        }
        const other = strangerFor(verification);
        if (!all.includes(other)) {
          const forged = request(signSourceRequest(verification, other, body), body);
          refuses(() => {
            verifier.precheck(forged);
            verifier.verify(forged);
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});

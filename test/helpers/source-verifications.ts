import fc from 'fast-check';
import type { StoredVerification, VerificationInput } from '../../providers/sources/verification';

/** Secrets each kind accepts. */
const text = (min: number) => fc.string({ minLength: min, maxLength: 40, unit: 'grapheme-ascii' });
const printable = (min: number) =>
  fc.string({
    minLength: min,
    maxLength: 40,
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  });
const whsec = fc.uint8Array({ minLength: 24, maxLength: 64 }).map((b) => `whsec_${Buffer.from(b).toString('base64')}`);
const secrets = (one: fc.Arbitrary<string>) => fc.oneof(one, fc.uniqueArray(one, { minLength: 1, maxLength: 3 }));
const header = fc.constantFrom('X-Signature', 'X-Hub-Signature-256', 'Webhook-Sig', 'X-Api-Key', 'Authorization');

/** Every verification an operator may send. */
export const anyInput: fc.Arbitrary<VerificationInput> = fc.oneof(
  fc.record({ type: fc.constant('standard-webhooks' as const), secret: secrets(whsec) }, { requiredKeys: ['type'] }),
  fc.record(
    {
      type: fc.constant('hmac' as const),
      header,
      algorithm: fc.constantFrom('sha1' as const, 'sha256' as const, 'sha512' as const),
      encoding: fc.constantFrom('hex' as const, 'base64' as const),
      prefix: fc.constantFrom('sha256=', 'v1,', 'sig '),
      secret: secrets(text(8)),
    },
    { requiredKeys: ['type', 'header', 'algorithm', 'encoding', 'secret'] },
  ),
  fc.record({
    type: fc.constant('basic' as const),
    username: text(1).filter((u) => !u.includes(':')),
    password: secrets(text(8)),
  }),
  fc.record(
    { type: fc.constant('bearer' as const), header, token: secrets(printable(16)) },
    { requiredKeys: ['type', 'token'] },
  ),
  fc.record({ preset: fc.constant('github' as const), secret: secrets(text(1)) }),
  fc.record({ preset: fc.constant('stripe' as const), secret: secrets(text(1).map((s) => `whsec_${s}`)) }),
);

/** A secret of the right shape that the source was not given. */
export const strangerFor = (v: StoredVerification): string =>
  v.type === 'standard-webhooks'
    ? `whsec_${Buffer.alloc(24, 9).toString('base64')}`
    : v.type === 'stripe'
      ? 'whsec_a_stranger_to_this_source'
      : 'a-stranger-to-this-source';

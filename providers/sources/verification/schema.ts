import { z } from 'zod';
import type { StoredVerification as Stored } from './stored';

export type { StoredVerification } from './stored';

export const VERIFICATION_KINDS = ['standard-webhooks', 'hmac', 'basic', 'bearer', 'stripe'] as const;
export type VerificationKind = (typeof VERIFICATION_KINDS)[number];
export const PRESETS = ['github', 'stripe'] as const;

/** An HTTP header name (RFC 9110 token). */
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name, e.g. X-Signature');

/** A secret, or several during a rotation (newest first: it is the one a sample is signed with). */
const secretsOf = (one: z.ZodString, what: string) =>
  z
    .union([one, z.array(one).min(1).max(5)])
    .describe(`${what}, or a list of up to 5 (newest first) while the sender rotates`);

/** `whsec_` and the base64 of 24 to 64 bytes, as the Standard Webhooks libraries take. */
const whsec = z.string().refine((s) => {
  if (!s.startsWith('whsec_')) return false;
  const key = s.slice('whsec_'.length);
  const bytes = Buffer.from(key, 'base64');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(key) && bytes.length >= 24 && bytes.length <= 64;
}, 'must be whsec_ followed by the base64 of 24 to 64 random bytes');

const standardWebhooks = z.strictObject({
  type: z
    .literal('standard-webhooks')
    .describe('Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature; ±5 minutes)'),
  secret: secretsOf(whsec, 'the whsec_ secret').optional().describe('absent: Hookport generates one and shows it once'),
});
const hmac = z.strictObject({
  type: z.literal('hmac').describe('an HMAC of the raw body in one header'),
  header: headerName.describe('the header that carries the signature, e.g. X-Hub-Signature-256'),
  algorithm: z.enum(['sha256', 'sha1', 'sha512']),
  encoding: z.enum(['hex', 'base64']),
  prefix: z.string().max(40).optional().describe('text before the digest in the header, e.g. sha256='),
  secret: secretsOf(z.string().min(8, 'must be at least 8 characters').max(512), 'the shared secret'),
});
const basic = z.strictObject({
  type: z.literal('basic').describe('HTTP Basic credentials, checked before the body is read'),
  username: z
    .string()
    .min(1)
    .max(200)
    .refine((u) => !u.includes(':'), 'must not contain ":"'),
  password: secretsOf(z.string().min(8, 'must be at least 8 characters').max(512), 'the password'),
});
const bearer = z.strictObject({
  type: z.literal('bearer').describe('a token in a header, checked before the body is read'),
  header: headerName
    .optional()
    .describe('default Authorization (value `Bearer <token>`); with another header, the value is the token itself'),
  token: secretsOf(
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(512)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    'the token',
  ),
});
const githubPreset = z.strictObject({
  preset: z
    .literal('github')
    .describe('GitHub: X-Hub-Signature-256, sha256=<hex>, deliveries deduped by X-GitHub-Delivery'),
  secret: secretsOf(z.string().min(1).max(512), "the webhook's secret as set in GitHub"),
});
const stripePreset = z.strictObject({
  preset: z.literal('stripe').describe('Stripe: Stripe-Signature t=…,v1=…, verified with the stripe library'),
  secret: secretsOf(
    z.string().startsWith('whsec_', "must be the endpoint's signing secret (whsec_…)").max(512),
    "the endpoint's signing secret",
  ),
  toleranceSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .optional()
    .describe('how old a signature may be (default 300, as Stripe)'),
});

const NOT_UNVERIFIED =
  'a source cannot be unverified: choose a type (standard-webhooks, hmac, basic or bearer) with its parameters, or a preset (github, stripe)';

/**
 * What an operator sends as `verification`: a kind (`type`) with its parameters, or a preset
 * (`preset`) that fills them in. Anything else, `{"type":"none"}` first, is refused.
 */
export const verificationInputSchema = z
  .union([standardWebhooks, hmac, basic, bearer, githubPreset, stripePreset], {
    // No kind matched at all (none, a misspelt type): say what may be chosen. A kind that matched
    // but has a bad field is reported at that field.
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      // The kind whose `type` or `preset` matched tells what is wrong with its own fields.
      const chosen = issue.errors.find((branch) => !branch.some((i) => i.path[0] === 'type' || i.path[0] === 'preset'));
      return chosen ? chosen.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : NOT_UNVERIFIED;
    },
  })
  .describe('how each request is verified: a type with its parameters, or a preset');

export type VerificationInput = z.output<typeof verificationInputSchema>;
/** Stored parameters, re-exported for the table's column type. */
export type StoredVerificationOf = Stored;

import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { SigningMode } from '../db/tables/deliveries';
import { isSealed } from '../crypto/secret-box';

/** A new Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** A new secret for a mode: Standard Webhooks' form, or 64 hex characters for the HMAC modes. */
export const newSecretFor = (mode: SigningMode): string =>
  mode === 'standard-webhooks' ? newSecret() : randomBytes(32).toString('hex');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Why a caller's own secret cannot sign in this mode, or null when it can. The message never
 * repeats the secret.
 */
export function secretProblem(mode: SigningMode, secret: string): string | null {
  if (mode === 'standard-webhooks') {
    if (!secret.startsWith('whsec_'))
      return 'a standard-webhooks secret is "whsec_" followed by base64 (of 24 to 64 random bytes)';
    const encoded = secret.slice('whsec_'.length);
    if (!BASE64.test(encoded)) return 'the part after "whsec_" is not base64';
    const bytes = Buffer.from(encoded, 'base64').length;
    return bytes >= 24 && bytes <= 64 ? null : `the secret decodes to ${bytes} bytes; it must be 24 to 64`;
  }
  if (secret.length < 24 || secret.length > 256)
    return `an ${mode} secret is 24 to 256 characters; this one has ${secret.length}`;
  // Stored as given without HOOKPORT_ENCRYPTION_KEY, it would then read as an encrypted value.
  if (isSealed(secret)) return `an ${mode} secret must not begin with "enc:v1:" (how an encrypted value is stored)`;
  return PRINTABLE_ASCII.test(secret)
    ? null
    : `an ${mode} secret is printable ASCII only (no control or non-ASCII characters)`;
}

/** Decoded keys by secret: decoding base64 on every delivery is wasted work. Bounded. */
const signers = new Map<string, Webhook>();
function signer(secret: string): Webhook {
  let w = signers.get(secret);
  if (!w) {
    if (signers.size >= 1000) signers.clear();
    signers.set(secret, (w = new Webhook(secret)));
  }
  return w;
}

/**
 * The `webhook-signature` header: `v1,<base64>` with each secret (the current one first, then
 * the previous one during a rotation's overlap), space-separated as Standard Webhooks allows, so a
 * receiver verifies with whichever it has.
 */
export function signatureHeader(secrets: readonly string[], msgId: string, at: Date, payload: string): string {
  return secrets.map((s) => signer(s).sign(msgId, at, payload)).join(' ');
}

/** Hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes (the HMAC modes). */
export const hmacHex = (secret: string, payload: string): string =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(payload, 'utf8').digest('hex');

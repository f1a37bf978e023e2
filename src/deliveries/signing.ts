import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks). */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

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

import { createHash } from 'node:crypto';
// The twilio library's own webhook functions, from the module that defines them: the package's root
// also loads its whole REST client (resident memory in every process, for nothing here).
import * as twilio from 'twilio/lib/webhooks/webhooks';

/**
 * Signing as Twilio signs, by the twilio library itself: what `hookport send` and the tests use.
 * (Verification is in verify.ts; it uses the same library's validateRequest.)
 */

/** Form body and X-Twilio-Signature for `url`. */
export function signTwilioForm(token: string, url: string, params: Record<string, string>) {
  const body = new URLSearchParams(params).toString();
  return { body, signature: twilio.getExpectedTwilioSignature(token, url, params) };
}

/** A JSON body as Twilio signs it: `bodySHA256` (hex SHA-256 of the body) added to the URL, which alone is signed. */
export function signTwilioJson(token: string, url: string, body: string) {
  const hash = createHash('sha256').update(body).digest('hex');
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
  return { url: signedUrl, signature: twilio.getExpectedTwilioSignature(token, signedUrl, {}) };
}

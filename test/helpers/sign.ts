import twilio from 'twilio';
import { Webhook } from 'svix';
import { createHash, randomUUID } from 'node:crypto';

/** Form body and X-Twilio-Signature for `url`, signed by the twilio library itself. */
export function signTwilioForm(token: string, url: string, params: Record<string, string>) {
  const body = new URLSearchParams(params).toString();
  return { body, signature: twilio.getExpectedTwilioSignature(token, url, params) };
}

/** Svix headers for a body, signed by the svix library itself. */
export function signResend(secret: string, body: string, options: { id?: string; timestamp?: Date } = {}) {
  const id = options.id ?? `msg_${randomUUID().replace(/-/g, '')}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    'svix-id': id,
    'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'svix-signature': new Webhook(secret).sign(id, timestamp, body),
    'content-type': 'application/json',
  };
}

/** A JSON body as Twilio signs it: `bodySHA256` (hex SHA-256 of the body) added to the URL, which alone is signed. */
export function signTwilioJson(token: string, url: string, body: string) {
  const hash = createHash('sha256').update(body).digest('hex');
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
  return { url: signedUrl, signature: twilio.getExpectedTwilioSignature(token, signedUrl, {}) };
}

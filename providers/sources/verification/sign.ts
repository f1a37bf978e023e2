import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { StoredVerification } from './schema';
import { stripeWebhooks } from './stripe';

/** The headers a genuine sender would send with `body`, signed with `secret` (samples, tests). */
export function signSourceRequest(
  verification: StoredVerification,
  secret: string,
  body: string,
  now: () => number = Date.now,
): Record<string, string> {
  const json = { 'content-type': 'application/json' };
  switch (verification.type) {
    case 'standard-webhooks': {
      const id = `msg_${randomUUID()}`;
      const at = new Date(now());
      return {
        ...json,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, at, body),
      };
    }
    case 'hmac':
      return {
        ...json,
        [verification.header]: `${verification.prefix ?? ''}${createHmac(verification.algorithm, secret).update(body).digest(verification.encoding)}`,
      };
    case 'basic':
      return {
        ...json,
        authorization: `Basic ${Buffer.from(`${verification.username}:${secret}`).toString('base64')}`,
      };
    case 'bearer':
      return {
        ...json,
        [verification.header]: verification.header.toLowerCase() === 'authorization' ? `Bearer ${secret}` : secret,
      };
    case 'stripe':
      return {
        ...json,
        'stripe-signature': stripeWebhooks().generateTestHeaderString({
          payload: body,
          secret,
          timestamp: Math.floor(now() / 1000),
        }),
      };
  }
}

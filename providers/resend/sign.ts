import { randomUUID } from 'node:crypto';
import { Webhook } from 'svix/dist/webhook';

/** A fresh delivery id in Svix's shape, `msg_…`. */
export const svixId = () => `msg_${randomUUID().replace(/-/g, '')}`;

/** Svix headers for a body, signed by the svix library itself (as Resend signs): `hookport send` and the tests. */
export function signResend(secret: string, body: string, options: { id?: string; timestamp?: Date } = {}) {
  const id = options.id ?? svixId();
  const timestamp = options.timestamp ?? new Date();
  return {
    'svix-id': id,
    'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'svix-signature': new Webhook(secret).sign(id, timestamp, body),
    'content-type': 'application/json',
  };
}

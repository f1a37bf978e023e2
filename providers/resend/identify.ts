import { type Identity, type RawRequest, sha256Key } from '../../src/provider';

/** The event type from the envelope; svix-id (the same across Resend's retries) as the dedupe key. */
export function identifyResend(request: RawRequest): Identity {
  let eventType = 'unknown';
  try {
    const parsed = JSON.parse(request.body.toString('utf8')) as { type?: unknown };
    if (typeof parsed?.type === 'string') eventType = parsed.type;
  } catch {
    // Unreadable: stored anyway and dead-lettered by the worker.
  }
  const id = request.headers['svix-id'] ?? request.headers['webhook-id'];
  return { eventType, dedupeKey: id ?? sha256Key(request.body) };
}

import { type Identity, type RawRequest, sha256Key } from '../../../src/provider';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Topic as the event type. Jobber sends no event id, so the dedupe key is topic + account + item +
 * occurred time (either spelling); a body without them is keyed by its hash and dead-lettered later.
 */
export function identifyJobber(request: RawRequest): Identity {
  let event: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(request.body.toString('utf8')) as { data?: { webHookEvent?: unknown } } | null;
    const candidate = parsed?.data?.webHookEvent;
    if (candidate && typeof candidate === 'object') event = candidate as Record<string, unknown>;
  } catch {
    // Unreadable: stored anyway and dead-lettered by the worker.
  }
  const topic = text(event.topic);
  const parts = [topic, text(event.accountId), text(event.itemId), text(event.occurredAt) ?? text(event.occuredAt)];
  const complete = parts.every((p) => p !== undefined);
  return {
    eventType: topic ?? 'unknown',
    dedupeKey: complete ? parts.join(':') : sha256Key(request.body),
  };
}

import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { webhookEvents } from '../db/schema';

export interface NewEvent {
  provider: string;
  eventType: string;
  dedupeKey: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Appended {
  id: string;
  duplicate: boolean;
}

const keyOf = (provider: string, dedupeKey: string) => `${provider}\u0000${dedupeKey}`;

/**
 * Stores verified requests in one multi-row insert, committed before it returns. A provider retry
 * of a stored delivery (same provider and dedupe key) inserts nothing and gets the first row's id;
 * so does a second copy within the same batch. Results are in the order of `events`.
 */
export async function appendEvents(db: Db, events: readonly NewEvent[]): Promise<Appended[]> {
  const inserted = await db
    .insert(webhookEvents)
    .values(events.map((e) => ({ ...e })))
    .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.dedupeKey] })
    .returning({ id: webhookEvents.id, provider: webhookEvents.provider, dedupeKey: webhookEvents.dedupeKey });
  const fresh = new Map(inserted.map((r) => [keyOf(r.provider, r.dedupeKey), r.id]));

  const missing = events.filter((e) => !fresh.has(keyOf(e.provider, e.dedupeKey)));
  const existing = new Map<string, string>();
  if (missing.length > 0) {
    const rows = await db
      .select({ id: webhookEvents.id, provider: webhookEvents.provider, dedupeKey: webhookEvents.dedupeKey })
      .from(webhookEvents)
      .where(
        inArray(
          sql`(${webhookEvents.provider}, ${webhookEvents.dedupeKey})`,
          missing.map((e) => sql`(${e.provider}, ${e.dedupeKey})`),
        ),
      );
    for (const r of rows) existing.set(keyOf(r.provider, r.dedupeKey), r.id);
  }

  const answered = new Set<string>();
  return events.map((e) => {
    const key = keyOf(e.provider, e.dedupeKey);
    const id = fresh.get(key) ?? existing.get(key);
    if (!id) throw new Error('insert conflicted but no existing row was found');
    const duplicate = !fresh.has(key) || answered.has(key);
    answered.add(key);
    return { id, duplicate };
  });
}

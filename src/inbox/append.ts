import { and, eq, sql } from 'drizzle-orm';
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

/**
 * Stores a verified request. One insert, committed before it returns; a provider retry of the same
 * delivery (same dedupe key) inserts nothing and gets the first row's id.
 */
export async function appendEvent(db: Db, event: NewEvent): Promise<Appended> {
  const inserted = await preparedInsert(db).execute({ ...event });
  if (inserted[0]) return { id: inserted[0].id, duplicate: false };

  const existing = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, event.provider), eq(webhookEvents.dedupeKey, event.dedupeKey)));
  if (!existing[0]) throw new Error('insert conflicted but no existing row was found');
  return { id: existing[0].id, duplicate: true };
}

/**
 * The insert runs on every webhook: built once per database and prepared by name, so neither Drizzle
 * nor PostgreSQL re-plans it per request. Drizzle still applies the column encoders (jsonb, bytea) to the values.
 */
const prepared = new WeakMap<Db, ReturnType<typeof prepareInsert>>();

function prepareInsert(db: Db) {
  return db
    .insert(webhookEvents)
    .values({
      provider: sql.placeholder('provider'),
      eventType: sql.placeholder('eventType'),
      dedupeKey: sql.placeholder('dedupeKey'),
      headers: sql.placeholder('headers'),
      body: sql.placeholder('body'),
    })
    .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.dedupeKey] })
    .returning({ id: webhookEvents.id })
    .prepare('hookport_append_event');
}

function preparedInsert(db: Db) {
  let statement = prepared.get(db);
  if (!statement) prepared.set(db, (statement = prepareInsert(db)));
  return statement;
}

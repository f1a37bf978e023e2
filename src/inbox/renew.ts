import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { ClaimedEvent } from './claim';
import { IS_PROCESSING } from './settle';

/**
 * Extends the lease of events a worker still holds, so a batch that takes longer than the lease
 * keeps its claim. Fenced by `attempts` like settling: an event another worker retook, or one
 * already settled, is left alone. Rows a settling transaction has locked are skipped, not waited
 * for: they are about to leave `processing`, and waiting on them could deadlock with it.
 * Returns the ids renewed.
 */
export async function renewLeases(
  db: Executor,
  events: readonly Pick<ClaimedEvent, 'id' | 'attempts'>[],
  leaseSeconds: number,
): Promise<string[]> {
  if (events.length === 0) return [];
  const held = events.map((e) => sql`(${e.id}::uuid, ${e.attempts}::integer)`);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update webhook_events e
      set available_at = now() + make_interval(secs => ${leaseSeconds})
      from (
        select w.id from webhook_events w
        join (values ${sql.join(held, sql`, `)}) as held (held_id, held_attempts)
          on w.id = held.held_id and w.attempts = held.held_attempts
        where ${IS_PROCESSING}
        for update of w skip locked
      ) as mine
      where e.id = mine.id
      returning e.id`,
  );
  return rows.map((r) => r.id);
}

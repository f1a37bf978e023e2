import { sql } from 'drizzle-orm';
import type { Harness } from './harness';

/**
 * Makes the database itself refuse any `messages` row whose body is `marker` (a CHECK constraint),
 * so a test can watch how a refused upsert is handled. Hostile values no longer do this: Hookport
 * makes every verified value storable.
 */
export async function refuseMessageBody(h: Harness, marker: string): Promise<void> {
  await h.runtime.database.db.execute(
    sql.raw(
      `alter table messages add constraint test_refused_body check (body is distinct from '${marker.replace(/'/g, "''")}')`,
    ),
  );
}

export const allowMessageBodies = (h: Harness) =>
  h.runtime.database.db.execute(sql`alter table messages drop constraint if exists test_refused_body`);

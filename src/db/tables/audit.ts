import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns';

/**
 * What operators did (src/audit/): sign-ins and refused ones, replays, subscription changes, secret
 * reveals and rotations, and the actions providers declare. Never a secret: `detail` names what
 * changed, not to what. Written in the transaction of the change it records where there is one.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: ts('at').notNull().defaultNow(),
    /** What acted: `console`, `admin-api`, or a provider for what it reports itself. */
    actor: text('actor').notNull(),
    /** The client address (TRUST_PROXY decides whose); null where no request carried the action. */
    address: text('address'),
    /** A dotted name from the list in src/audit/actions.ts, or one a provider declares. */
    action: text('action').notNull(),
    /** The id acted on; null where the action has none (a sign-in, a bulk replay). */
    target: text('target'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  // The list, newest first, keyset-paged on (at, id); retention walks it oldest first.
  (t) => [index('audit_log_at_idx').on(t.at, t.id)],
);

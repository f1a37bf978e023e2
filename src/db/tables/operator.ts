import { bigint, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns';

/**
 * Webhook answers counted per provider, outcome and minute, for /admin/api/stats: duplicates and
 * 401s leave no inbox row, and a second instance must see the first one's counts. Each process
 * adds its counts every few seconds (count = count + excluded.count).
 */
export const ingestCounts = pgTable(
  'ingest_counts',
  {
    bucket: ts('bucket').notNull(),
    provider: text('provider').notNull(),
    outcome: text('outcome').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.provider, t.outcome] })],
);

/**
 * Console sessions. Only a digest of the session token is stored, so a read of this table cannot
 * sign anyone in; sign-out deletes the row, so a copied cookie stops working at once.
 */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('admin_sessions_expires_idx').on(t.expiresAt)],
);


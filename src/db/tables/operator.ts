import { bigint, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns';

/**
 * What happened, counted per 5-minute bucket, provider and metric, for /admin/api/stats and the
 * console: webhook answers (`answer:stored`, `answer:duplicate`, `answer:invalid_signature`, …),
 * worker outcomes (`settled:processed`, …) and a log-bucketed sketch of processing delays
 * (`delay:<i>`). Duplicates and 401s leave no inbox row, a second instance must see the first
 * one's counts, and a week of figures must not mean reading a week of inbox rows. Each process
 * adds its counts every few seconds (count = count + excluded.count).
 */
export const activityCounts = pgTable(
  'activity_counts',
  {
    bucket: ts('bucket').notNull(),
    provider: text('provider').notNull(),
    metric: text('metric').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.provider, t.metric] })],
);

/**
 * Console sessions. Only a digest of the session token is stored, so a read of this table cannot
 * sign anyone in; sign-out deletes the row, so a copied cookie stops working at once. `flash` holds
 * what a POST leaves for the one GET it redirects to (a new secret), taken and cleared by that GET.
 * `admin_token_binding` ties the session to the ADMIN_TOKEN it was signed in with (an HMAC of the
 * session's digest under that token): once the token changes, no session made with the old one opens.
 */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
    flash: jsonb('flash'),
    adminTokenBinding: text('admin_token_binding'),
  },
  (t) => [index('admin_sessions_expires_idx').on(t.expiresAt)],
);

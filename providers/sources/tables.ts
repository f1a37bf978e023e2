import { boolean, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from '../../src/provider';
import type { StoredVerification } from './verification';

/**
 * Senders an operator added at run time (`/webhooks/sources/<name>`). The verification's
 * parameters are plain; its secrets (keys, passwords, tokens, newest first) are one sealed value.
 */
export const sources = pgTable('sources', {
  name: text('name').primaryKey(),
  verification: jsonb('verification').$type<StoredVerification>().notNull(),
  /** JSON of the secret list, sealed with config.secretBox (label `sources.secrets`). */
  secrets: text('secrets').notNull(),
  /** A dot path into the JSON body naming the event (`action`, `event.type`); null: `received`. */
  eventTypePath: text('event_type_path'),
  /** A header whose value identifies a delivery across retries (`X-GitHub-Delivery`); null: the body's SHA-256. */
  dedupeHeader: text('dedupe_header'),
  /** The operator's JSON Schema of `data.object`, published in the catalogue; null: any object. */
  schema: jsonb('schema').$type<Record<string, unknown>>(),
  enabled: boolean('enabled').notNull().default(true),
  description: text('description'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, recordKey, updatedAt } from '../../../src/provider';

/** Acme's own table: one row per widget, keyed by (provider, external_id) like every record table. */
export const widgets = pgTable(
  'acme_widgets',
  {
    ...recordKey(),
    name: text('name'),
    color: text('color'),
    revision: integer('revision'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('acme_widgets_provider_external_id_uq').on(t.provider, t.externalId)],
);

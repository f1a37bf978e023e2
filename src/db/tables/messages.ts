import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, recordKey, ts, updatedAt } from './columns';

export const messages = pgTable(
  'messages',
  {
    ...recordKey(),
    conversationId: text('conversation_id'),
    direction: text('direction', { enum: ['inbound', 'outbound'] }),
    fromAddress: text('from_address'),
    toAddress: text('to_address'),
    senderName: text('sender_name'),
    body: text('body'),
    media: jsonb('media').$type<{ url: string; contentType: string | null }[]>(),
    status: text('status'),
    /** Precedence of `status`; an update with a lower rank never replaces it. */
    statusRank: integer('status_rank').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    numSegments: integer('num_segments'),
    accountId: text('account_id'),
    sentAt: ts('sent_at'),
    /** The sender's own ids, e.g. the query of a status callback URL (`{"ref":"order-123"}`). */
    metadata: jsonb('metadata').$type<Record<string, string | string[]>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('messages_provider_external_id_uq').on(t.provider, t.externalId),
    index('messages_conversation_idx').on(t.provider, t.conversationId),
  ],
);

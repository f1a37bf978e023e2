import { sql } from 'drizzle-orm';
import { messages } from '../db/schema';
import type { Db } from '../db/client';
import type { MessageChange } from './changes';
import { keepUnlessGiven, whenRankAtLeast } from './sql';



/** Inserts or updates one message by (provider, external_id); statuses only move forwards. */
export async function upsertMessage(tx: Pick<Db, 'insert'>, change: MessageChange): Promise<void> {
  const { kind: _kind, ...values } = change;
  const m = messages;
  await tx
    .insert(messages)
    .values(values)
    .onConflictDoUpdate({
      target: [m.provider, m.externalId],
      set: {
        ...keepUnlessGiven(m, {
          conversationId: m.conversationId,
          direction: m.direction,
          fromAddress: m.fromAddress,
          toAddress: m.toAddress,
          senderName: m.senderName,
          body: m.body,
          media: m.media,
          numSegments: m.numSegments,
          accountId: m.accountId,
          sentAt: m.sentAt,
        }),
        ...whenRankAtLeast(m, m.statusRank, {
          status: m.status,
          statusRank: m.statusRank,
          errorCode: m.errorCode,
          errorMessage: m.errorMessage,
        }),
        updatedAt: sql`now()`,
      },
    });
}

import { sql } from 'drizzle-orm';
import { messages } from '../db/schema';
import type { Executor } from '../db/client';
import type { Applied, MessageChange } from '../contract/record-changes';
import { snapshotOf } from '../events/record-view';
import { messageView } from '../events/shared-views';
import { compileUpsert, withoutKind } from './compiled-upsert';
import { keepFirst, keepUnlessGiven, whenRankAtLeast } from './sql';
import { messagesReached } from './reached';

const m = messages;

const upsert = compileUpsert(messages, {
  target: [m.provider, m.externalId],
  set: {
    // A message's parties and content never change once known. A provider that signs keys and
    // values concatenated lets a verified replay re-split them (`Body=Meet at 5From+1555…` with
    // `From` removed): a later event may fill a missing value, never replace one.
    ...keepFirst(m, {
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
    // The sender's ids from the callback URL: a callback with a query replaces them, one without keeps them.
    ...keepUnlessGiven(m, { metadata: m.metadata }),
    ...whenRankAtLeast(m, m.statusRank, {
      status: m.status,
      statusRank: m.statusRank,
      errorCode: m.errorCode,
      errorMessage: m.errorMessage,
    }),
    updatedAt: sql`now()`,
  },
});

/** Inserts or updates messages by (provider, external_id); content is first-write-wins, statuses only move forwards. */
export async function upsertMessages(tx: Executor, changes: readonly MessageChange[]): Promise<Applied> {
  const written = await upsert(tx, withoutKind(changes));
  return { snapshots: written.map((w) => snapshotOf(messageView, w)), reached: messagesReached(written) };
}

import { sql } from 'drizzle-orm';
import { emails } from '../db/schema';
import type { Executor } from '../db/client';
import type { Applied, EmailChange } from '../contract/record-changes';
import { snapshotOf } from '../events/record-view';
import { emailView } from '../events/shared-views';
import { compileUpsert } from './compiled-upsert';
import { keepUnlessGiven, refs, whenRankAtLeast } from './sql';
import { emailsReached } from './reached';

const e = emails;
const { excluded, current } = refs;

const upsert = compileUpsert(emails, {
  target: [e.provider, e.externalId],
  set: {
    ...keepUnlessGiven(e, {
      direction: e.direction,
      messageId: e.messageId,
      fromAddress: e.fromAddress,
      toAddresses: e.toAddresses,
      subject: e.subject,
      tags: e.tags,
      sentAt: e.sentAt,
      bounce: e.bounce,
      complainedAt: e.complainedAt,
      failureReason: e.failureReason,
      suppression: e.suppression,
    }),
    ...whenRankAtLeast(
      e,
      e.statusRank,
      { status: e.status, statusRank: e.statusRank, statusAt: e.statusAt },
      e.statusAt,
    ),
    openCount: sql`${current(e, e.openCount)} + ${excluded(e.openCount)}`,
    clickCount: sql`${current(e, e.clickCount)} + ${excluded(e.clickCount)}`,
    // least/greatest ignore nulls, so an event without an open leaves these as they were.
    firstOpenedAt: sql`least(${current(e, e.firstOpenedAt)}, ${excluded(e.firstOpenedAt)})`,
    lastOpenedAt: sql`greatest(${current(e, e.lastOpenedAt)}, ${excluded(e.lastOpenedAt)})`,
    firstClickedAt: sql`least(${current(e, e.firstClickedAt)}, ${excluded(e.firstClickedAt)})`,
    lastClickedAt: sql`greatest(${current(e, e.lastClickedAt)}, ${excluded(e.lastClickedAt)})`,
    lastClickedLink: sql`case when ${excluded(e.lastClickedAt)} >= coalesce(${current(e, e.lastClickedAt)}, '-infinity')
      then ${excluded(e.lastClickedLink)} else ${current(e, e.lastClickedLink)} end`,
    updatedAt: sql`now()`,
  },
});

/**
 * Applies email events to their rows. The worker applies each event exactly once (in the same
 * transaction that marks it processed), so open and click counters can simply add.
 */
export async function upsertEmails(tx: Executor, changes: readonly EmailChange[]): Promise<Applied> {
  const written = await upsert(
    tx,
    changes.map(({ kind: _kind, opened, clicked, ...values }) => ({
      ...values,
      openCount: opened ? 1 : 0,
      firstOpenedAt: opened?.at,
      lastOpenedAt: opened?.at,
      clickCount: clicked ? 1 : 0,
      firstClickedAt: clicked?.at,
      lastClickedAt: clicked?.at,
      lastClickedLink: clicked?.link,
    })),
  );
  return { snapshots: written.map((w) => snapshotOf(emailView, w)), reached: emailsReached(written) };
}

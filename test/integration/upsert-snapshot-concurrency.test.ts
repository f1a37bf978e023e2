import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/client';
import { upsertMessages } from '../../src/records/messages';
import { suppressionChange, upsertSuppressions } from '../../src/records/suppressions';
import type { MessageChange } from '../../src/contract/record-changes';
import { postgresServerUrl } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { twilioSid } from '../helpers/webhooks';

const describeOnPostgres = postgresServerUrl() ? describe : describe.skip;

const change = (externalId: string, status: string, statusRank: number): MessageChange => ({
  kind: 'message',
  provider: 'twilio',
  externalId,
  direction: 'outbound',
  status,
  statusRank,
});

/**
 * data.previous must be the values this change replaced, even when another transaction changed
 * the row after this statement's snapshot was taken: the upsert reads the old row under its lock.
 */
describeOnPostgres('upsert snapshots under concurrent writers (postgres)', () => {
  const h = suiteHarness('postgres');

  it('a change that waited for another transaction reports the values that transaction committed as previous', async () => {
    const db = h.runtime.database.db;
    const sid = twilioSid();
    await db.transaction((tx) => upsertMessages(tx, [change(sid, 'queued', 10)]));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const first = db.transaction(async (tx) => {
      const applied = await upsertMessages(tx, [change(sid, 'sent', 40)]);
      locked();
      await held;
      return applied;
    });
    await isLocked;
    const second = db.transaction((tx) => upsertMessages(tx, [change(sid, 'delivered', 60)]));
    // The second statement is waiting for the first transaction's row lock.
    await new Promise((r) => setTimeout(r, 200));
    const waiting = await h.rows<{ n: number }>(
      sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`,
    );
    expect(waiting[0]!.n).toBeGreaterThan(0);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.snapshots[0]!.previous).toEqual({ status: 'queued' });
    expect(b.snapshots[0]!.previous).toEqual({ status: 'sent' });
    expect(b.snapshots[0]!.object.status).toBe('delivered');
  });

  /** Runs `first` and holds its transaction open until `second` has started (and waits on it). */
  async function race<A, B>(
    first: (tx: Executor) => Promise<A>,
    second: (tx: Executor) => Promise<B>,
  ): Promise<[A, B]> {
    const db = h.runtime.database.db;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let done!: () => void;
    const firstDone = new Promise<void>((resolve) => (done = resolve));
    const a = db.transaction(async (tx) => {
      const result = await first(tx);
      done();
      await held;
      return result;
    });
    await firstDone;
    const b = db.transaction(second);
    await new Promise((r) => setTimeout(r, 200));
    release();
    return Promise.all([a, b]);
  }

  it('a change that lost the guard to a row another transaction inserted after its snapshot gets that row, previous {}', async () => {
    const address = `+1415555${String(Date.now()).slice(-4)}`;
    const fact = { channel: 'sms', address, provider: 'twilio', eventId: randomUUID() } as const;
    const [, b] = await race(
      (tx) =>
        upsertSuppressions(tx, [
          suppressionChange({ ...fact, suppressed: true, reason: 'opted_out', at: new Date('2026-12-06T19:00:02Z') }),
        ]),
      (tx) =>
        upsertSuppressions(tx, [
          suppressionChange({ ...fact, suppressed: false, at: new Date('2026-12-06T19:00:01Z') }),
        ]),
    );
    expect(b.snapshots[0]!.object).toEqual(expect.objectContaining({ address, suppressed: true, reason: 'opted_out' }));
    expect(b.snapshots[0]!.previous).toEqual({});
  });

  it('a change that updated a row another transaction created after its snapshot is reported as a create (its old values were never visible)', async () => {
    const sid = twilioSid();
    const [a, b] = await race(
      (tx) => upsertMessages(tx, [change(sid, 'sent', 40)]),
      (tx) => upsertMessages(tx, [change(sid, 'delivered', 60)]),
    );
    expect(a.snapshots[0]!.previous).toBeUndefined();
    expect(b.snapshots[0]!.object.status).toBe('delivered');
    expect(b.snapshots[0]!.previous).toBeUndefined();
  });
});

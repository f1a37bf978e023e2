import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { providers } from '../../providers';
import { recordApplier } from '../../src/records/apply';
import type { EmailChange, MessageChange, RecordChange } from '../../src/contract/record-changes';
import { sharedRecordViews } from '../../src/events/shared-views';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';

const at = fc.integer({ min: 0, max: 50 }).map((s) => new Date(Date.UTC(2026, 10, 24, 10, 0, s)));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const emailStatuses = [
  { status: 'sent', statusRank: 20 },
  { status: 'delivered', statusRank: 40 },
  { status: 'opened', statusRank: 50 },
  { status: 'clicked', statusRank: 60 },
  { status: 'bounced', statusRank: 70 },
];

const emailChange = (id: string) =>
  fc
    .record({
      ranked: fc.constantFrom(...emailStatuses),
      statusAt: at,
      subject: maybe(fc.string({ maxLength: 8 })),
      tags: maybe(fc.dictionary(fc.constantFrom('a', 'b'), fc.string({ maxLength: 4 }))),
      toAddresses: maybe(fc.array(fc.constantFrom('x@example.com', 'y@example.com'), { maxLength: 2 })),
      direction: maybe(fc.constantFrom('inbound' as const, 'outbound' as const)),
      opened: maybe(at.map((a) => ({ at: a }))),
      clicked: maybe(
        fc.record({ at, link: fc.option(fc.constantFrom('https://a.example', 'https://b.example'), { nil: null }) }),
      ),
      bounce: maybe(fc.constant({ type: 'Permanent', message: 'said "no" \\ twice' })),
    })
    .map(({ ranked, ...rest }): EmailChange => ({
      kind: 'email',
      provider: 'resend',
      externalId: id,
      ...ranked,
      ...rest,
    }));

const messageChange = (id: string) =>
  fc
    .record({
      ranked: fc.constantFrom(
        { status: 'queued', statusRank: 10 },
        { status: 'sent', statusRank: 40 },
        { status: 'delivered', statusRank: 60 },
      ),
      body: maybe(fc.string({ maxLength: 8 })),
      fromAddress: maybe(fc.constantFrom('+15550001', '+15550002')),
      errorCode: maybe(fc.constantFrom('30003', '30005')),
      media: maybe(fc.array(fc.constant({ url: 'https://m.example/1', contentType: 'image/png' }), { maxLength: 1 })),
    })
    .map(({ ranked, ...rest }): MessageChange => ({
      kind: 'message',
      provider: 'twilio',
      externalId: id,
      ...ranked,
      ...rest,
    }));

/** Changes to a few records, a record often changed several times: what one worker batch holds. */
const batch = fc.array(
  fc.oneof(fc.constantFrom('e1', 'e2', 'e3').chain(emailChange), fc.constantFrom('m1', 'm2').chain(messageChange)),
  { minLength: 1, maxLength: 24 },
);

/**
 * The worker writes a batch's changes set-based: one statement per table and round, rows as one
 * jsonb parameter (compileUpsert, statementsInLockOrder). That must leave every row exactly as
 * applying the same changes one at a time, in order, does.
 */
describe.each(databaseKinds())('set-based record upserts on %s', (kind) => {
  const h = suiteHarness(kind);
  const apply = recordApplier(providers);
  let run = 0;

  const withIds = (changes: RecordChange[], prefix: string) =>
    changes.map((c) => ({ ...c, externalId: `${prefix}-${c.externalId}` }));
  const rows = async (prefix: string) => {
    const strip = (r: Record<string, unknown>) => {
      const { id: _id, created_at: _c, updated_at: _u, external_id, ...rest } = r;
      return { key: String(external_id).slice(prefix.length + 1), ...rest };
    };
    const emails = await h.rows<Record<string, unknown>>(
      sql`select * from emails where external_id like ${`${prefix}-%`} order by external_id`,
    );
    const messages = await h.rows<Record<string, unknown>>(
      sql`select * from messages where external_id like ${`${prefix}-%`} order by external_id`,
    );
    return { emails: emails.map(strip), messages: messages.map(strip) };
  };

  it('a batch applied together leaves the rows that applying it change by change leaves', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (changes) => {
        run++;
        const together = `together${run}`;
        const alone = `alone${run}`;
        const db = h.runtime.database.db;
        await db.transaction((tx) => apply(tx, withIds(changes, together)));
        for (const change of withIds(changes, alone)) await db.transaction((tx) => apply(tx, [change]));
        expect(await rows(together)).toEqual(await rows(alone));
      }),
      { numRuns: 40 },
    );
  });

  it("each change's snapshot is the row it left, and data.previous exactly the fields it changed, with their values before", async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (changes) => {
        run++;
        const prefix = `snap${run}`;
        const db = h.runtime.database.db;
        const last = new Map<string, Record<string, unknown>>();
        for (const change of withIds(changes, prefix)) {
          const { snapshots } = await db.transaction((tx) => apply(tx, [change]));
          const snapshot = snapshots.get(change)!;
          const before = last.get(change.externalId);
          if (!before) expect(snapshot.previous).toBeUndefined();
          else {
            const changed = Object.keys(before).filter(
              (k) => k !== 'updated_at' && JSON.stringify(before[k]) !== JSON.stringify(snapshot.object[k]),
            );
            expect(snapshot.previous).toEqual(Object.fromEntries(changed.map((k) => [k, before[k]])));
          }
          last.set(change.externalId, snapshot.object);
        }
        // The last snapshot of each record is the row as it stands (read back through to_jsonb).
        const stored = await h.rows<{ kind: string; external_id: string; row: Record<string, unknown> | string }>(
          sql`select 'email' as kind, external_id, to_jsonb(e) as row from emails e where external_id like ${`${prefix}-%`}
            union all select 'message', external_id, to_jsonb(m) from messages m where external_id like ${`${prefix}-%`}`,
        );
        for (const r of stored) {
          const row = typeof r.row === 'string' ? (JSON.parse(r.row) as Record<string, unknown>) : r.row;
          expect(last.get(r.external_id)).toEqual(sharedRecordViews[r.kind]!.object(row));
        }
      }),
      { numRuns: 25 },
    );
  });
});

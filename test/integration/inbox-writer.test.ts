import { sql } from 'drizzle-orm';
import { appendEvents, type NewEvent } from '../../src/inbox/append';
import { InboxWriter } from '../../src/inbox/writer';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';

const event = (
  dedupeKey: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): NewEvent => ({
  provider: 'resend',
  eventType: 'email.sent',
  dedupeKey,
  headers,
  body: Buffer.from(`{"k":"${dedupeKey}"}`),
});

describe.each(databaseKinds())('inbox group commit on %s', (kind) => {
  const h = suiteHarness(kind);
  const count = async () =>
    Number((await h.rows<{ n: string }>(sql`select count(*)::text as n from webhook_events`))[0]!.n);

  it('writes a batch in one insert, answers in order, and marks stored and in-batch copies as duplicates', async () => {
    const db = h.runtime.database.db;
    const [first] = await appendEvents(db, [event('pre-existing')]);
    const before = await count();
    const results = await appendEvents(db, [event('a'), event('pre-existing'), event('b'), event('a')]);
    expect(results.map((r) => r.duplicate)).toEqual([false, true, false, true]);
    expect(results[1]!.id).toBe(first!.id);
    expect(results[3]!.id).toBe(results[0]!.id);
    expect(new Set(results.map((r) => r.id)).size).toBe(3);
    expect((await count()) - before).toBe(2);
  });

  it('stores every body byte for byte, whatever its bytes, and headers as given', async () => {
    const everyByte = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const bodies = [everyByte, Buffer.alloc(0), Buffer.from('\u00e9\u2713 "quoted" \\ \r\n', 'utf8')];
    const headers = { 'x-quote': 'say "hi" \\ there', 'x-unicode': '\u00e9\u{1F600}' };
    const results = await appendEvents(
      h.runtime.database.db,
      bodies.map((body, i) => ({ ...event(`bytes-${i}`, headers), body })),
    );
    for (const [i, result] of results.entries()) {
      const [row] = await h.rows<{ body: Uint8Array; headers: unknown }>(
        sql`select body, headers from webhook_events where id = ${result.id}::uuid`,
      );
      expect(Buffer.from(row!.body).equals(bodies[i]!)).toBe(true);
      expect(typeof row!.headers === 'string' ? JSON.parse(row!.headers) : row!.headers).toEqual(headers);
    }
  });

  it('stores a request path that jsonb could not hold as it came (a NUL, a lone surrogate)', async () => {
    const [result] = await appendEvents(h.runtime.database.db, [
      { ...event('path-nul'), requestPath: '/webhooks/resend?ref=a\u0000b&x=\ud800' },
    ]);
    const [row] = await h.rows<{ request_path: string }>(
      sql`select request_path from webhook_events where id = ${result!.id}::uuid`,
    );
    expect(row!.request_path).toBe('/webhooks/resend?ref=a\ufffdb&x=\ufffd');
  });

  it('groups concurrent appends and resolves each caller with its own row', async () => {
    let commits = 0;
    const writer = new InboxWriter(h.runtime.database.db, 1, { onCommitted: () => commits++ });
    const keys = Array.from({ length: 30 }, (_, i) => `group-${i}`);
    const results = await Promise.all(keys.map((k) => writer.append(event(k))));
    const rows = await h.rows<{ id: string; dedupe_key: string }>(
      sql`select id, dedupe_key from webhook_events where dedupe_key like 'group-%'`,
    );
    const idByKey = new Map(rows.map((r) => [r.dedupe_key, r.id]));
    expect(rows).toHaveLength(30);
    results.forEach((r, i) => {
      expect(r.duplicate).toBe(false);
      expect(r.id).toBe(idByKey.get(keys[i]!));
    });
    // Told once per committed insert, not per webhook (it sends the NOTIFY for other workers).
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThan(keys.length);
    // Only duplicates: nothing new was stored, nothing to tell.
    const told = commits;
    await Promise.all(keys.slice(0, 5).map((k) => writer.append(event(k))));
    expect(commits).toBe(told);
  });

  it('a row the database refuses fails only its own caller', async () => {
    const writer = new InboxWriter(h.runtime.database.db, 1);
    // Provider names come from the registry and are stored as they are: text cannot hold a NUL, so
    // this one insert fails while its batch-mates succeed. (Anything from the request is made storable.)
    const bad = { ...event('refused'), provider: 'resend\u0000' };
    const outcomes = await Promise.allSettled([
      writer.append(event('hold-the-line')),
      writer.append(event('ok-1')),
      writer.append(bad),
      writer.append(event('ok-2')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await h.rows<{ dedupe_key: string }>(
      sql`select dedupe_key from webhook_events where dedupe_key in ('ok-1', 'ok-2', 'refused') order by dedupe_key`,
    );
    expect(stored.map((r) => r.dedupe_key)).toEqual(['ok-1', 'ok-2']);
  });
});

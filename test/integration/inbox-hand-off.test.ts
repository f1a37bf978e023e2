import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { appendEvents, type NewEvent } from '../../src/inbox/append';
import { claimEvents } from '../../src/inbox/claim';
import type { ClaimedEvent } from '../../src/inbox/claimed-event';
import { InboxWriter, type LocalClaims } from '../../src/inbox/writer';
import { createLogger } from '../../src/log/logger';
import { InboxWorker } from '../../src/worker/inbox-worker';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId } from '../helpers/webhooks';

const event = (dedupeKey: string, body = `{"k":"${dedupeKey}"}`): NewEvent => ({
  provider: 'resend',
  eventType: 'email.sent',
  dedupeKey,
  // What the request path must make storable: a NUL in a header and in the path.
  headers: { 'content-type': 'application/json', 'x-odd': 'a\u0000b' },
  body: Buffer.from(body),
  requestPath: `/webhooks/resend?ref=${dedupeKey}\u0000`,
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

/** A worker with `room` slots, recording what the writer hands it. */
class RecordingClaims implements LocalClaims {
  readonly leaseSeconds = 60;
  readonly taken: { events: ClaimedEvent[]; reserved: number }[] = [];
  constructor(private room: number) {}
  reserve(n: number): number {
    const granted = Math.min(n, this.room);
    this.room -= granted;
    return granted;
  }
  take(events: ClaimedEvent[], reserved: number): void {
    this.room += reserved;
    this.taken.push({ events, reserved });
  }
}

interface StoredRow {
  id: string;
  status: string;
  attempts: number;
  leased_for: number;
  provider: string;
  event_type: string;
  headers: Record<string, string> | string;
  body: Uint8Array;
  request_path: string | null;
  traceparent: string | null;
  received_at: Date | string;
}

describe.each(databaseKinds())("webhooks stored claimed for this process's worker on %s", (kind) => {
  const h = suiteHarness(kind);
  const db = () => h.runtime.database.db;
  const stored = (keys: string[]) =>
    h.rows<StoredRow>(
      sql`select id, status, attempts, extract(epoch from available_at - now())::float8 as leased_for, provider,
          event_type, headers, body, request_path, traceparent, received_at
        from webhook_events where dedupe_key in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )}) order by dedupe_key`,
    );

  it('stores the events the worker has room for claimed, and hands each over as the worker would read it back', async () => {
    const claims = new RecordingClaims(2);
    const writer = new InboxWriter(db(), 1, { claims });
    const keys = ['room-a', 'room-b', 'room-c'];
    const answers = await Promise.all(keys.map((k) => writer.append(event(k))));

    const rows = await stored(keys);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['processing', 1],
      ['processing', 1],
      ['pending', 0],
    ]);
    // Leased as a claim leases: no other worker takes them while this one holds them.
    expect(rows[0]!.leased_for).toBeGreaterThan(55);
    expect(await claimEvents(db(), { limit: 10, leaseSeconds: 60, maxAttempts: 8 })).toHaveLength(1);

    expect(claims.taken).toEqual([{ reserved: 2, events: expect.any(Array) }]);
    const handed = claims.taken[0]!.events;
    expect(answers.map((a) => a.claimed?.id)).toEqual([rows[0]!.id, rows[1]!.id, undefined]);
    for (const [i, e] of handed.entries()) {
      const row = rows[i]!;
      const headers = typeof row.headers === 'string' ? JSON.parse(row.headers) : row.headers;
      expect(e).toEqual({
        id: row.id,
        provider: row.provider,
        eventType: row.event_type,
        attempts: 1,
        receivedAt: new Date(row.received_at),
        deferredSeconds: null,
        headers,
        body: Buffer.from(row.body),
        requestPath: row.request_path,
        traceparent: row.traceparent,
      });
    }
    // The storable forms, not the request's: a NUL cannot be stored in text or jsonb.
    expect(handed[0]!.requestPath).not.toContain('\u0000');
  });

  it('never hands over a duplicate, and gives back the room it had reserved for it', async () => {
    await appendEvents(db(), [event('dup-stored')]);
    const claims = new RecordingClaims(10);
    const writer = new InboxWriter(db(), 1, { claims });
    const answers = await Promise.all(['dup-stored', 'dup-new', 'dup-new'].map((k) => writer.append(event(k))));
    expect(answers.map((a) => [a.duplicate, a.claimed !== undefined])).toEqual([
      [true, false],
      [false, true],
      [true, false],
    ]);
    expect(claims.taken).toHaveLength(1);
    expect(claims.taken[0]!.reserved).toBe(3);
    expect(claims.taken[0]!.events.map((e) => e.id)).toEqual([answers[1]!.id]);
    expect((await stored(['dup-stored']))[0]!.status).toBe('pending');
  });

  it('an insert that fails hands nothing over, frees its room, and leaves its events for any worker', async () => {
    const claims = new RecordingClaims(10);
    let told = 0;
    const writer = new InboxWriter(db(), 1, { claims, onCommitted: () => told++ });
    // Provider names are stored as they are: text cannot hold a NUL, so the batch's insert fails.
    const outcomes = await Promise.allSettled([
      writer.append(event('fail-ok-1')),
      writer.append({ ...event('fail-refused'), provider: 'resend\u0000' }),
      writer.append(event('fail-ok-2')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(claims.taken).toEqual([{ events: [], reserved: 3 }]);
    expect((await stored(['fail-ok-1', 'fail-ok-2'])).map((r) => r.status)).toEqual(['pending', 'pending']);
    // Workers elsewhere are told of them.
    expect(told).toBeGreaterThan(0);
  });

  it('an event whose process died before settling it is taken again once its lease runs out', async () => {
    const [orphan] = await appendEvents(db(), [event('orphan')], { count: 1, leaseSeconds: 1 });
    expect(orphan!.claimed).toBeDefined();
    const claim = () => claimEvents(db(), { limit: 10, leaseSeconds: 60, maxAttempts: 8 });
    expect((await claim()).map((e) => e.id)).not.toContain(orphan!.id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const retaken = (await claim()).find((e) => e.id === orphan!.id);
    expect(retaken?.attempts).toBe(2);
  });

  it('hands over on the request path, and leaves the work for after the callers are answered', async () => {
    await h.rows(sql`truncate webhook_events, canonical_events, emails`);
    const normalized: string[] = [];
    const worker = new InboxWorker({
      db: db(),
      // A batch of one: each event handed over is a full batch at once.
      config: { ...h.config, worker: { ...h.config.worker, concurrency: 2, sweepMs: 600_000 } },
      logger: createLogger('error', true),
      providers: {
        ...providers,
        resend: {
          ...providers.resend,
          normalize: (payload, context) => {
            normalized.push(context.id);
            return providers.resend.normalize(payload, context);
          },
        },
      },
    });
    worker.start();
    try {
      const writer = new InboxWriter(db(), 1, { claims: worker });
      const body = JSON.stringify(emailEvent('email.delivered', emailId()));
      const answer = await writer.append({ ...event('path-0', body), eventType: 'email.delivered' });
      expect(answer.claimed).toBeDefined();
      // Answered before any of the worker's work began.
      expect(normalized).toEqual([]);
      await worker.idle();
      expect(normalized).toEqual([answer.id]);
      expect((await stored(['path-0']))[0]!.status).toBe('processed');
    } finally {
      await worker.stop();
    }
  });

  it('a stopping worker waits for the inserts in flight and processes what they stored for it', async () => {
    await h.rows(sql`truncate webhook_events, canonical_events, emails`);
    const worker = new InboxWorker({
      db: db(),
      // The sweep never runs: only the hand-over can process these.
      config: { ...h.config, worker: { ...h.config.worker, sweepMs: 600_000 } },
      logger: createLogger('error', true),
      providers,
    });
    worker.start();
    const writer = new InboxWriter(db(), 1, { claims: worker });
    const ids = [emailId(), emailId()];
    const appends = ids.map((id, i) => {
      const body = JSON.stringify(emailEvent('email.delivered', id));
      return writer.append({ ...event(`stop-${i}`, body), eventType: 'email.delivered' });
    });
    // The writer flushes after the requests of this turn: then its insert is in flight.
    await new Promise((resolve) => setImmediate(resolve));
    await worker.stop();
    expect((await Promise.all(appends)).every((a) => a.claimed)).toBe(true);
    expect((await stored(['stop-0', 'stop-1'])).map((r) => [r.status, r.attempts])).toEqual([
      ['processed', 1],
      ['processed', 1],
    ]);
    expect(await h.rows(sql`select count(*)::int as n from emails`)).toEqual([{ n: 2 }]);
  });
});

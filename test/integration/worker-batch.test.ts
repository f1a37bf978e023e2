import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { claimEvents } from '../../src/inbox/claim';
import { createLogger } from '../../src/log/logger';
import { processEvents } from '../../src/worker/process';
import { databaseKinds } from '../helpers/harness';
import { allowMessageBodies, refuseMessageBody } from '../helpers/refusal';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

/** The worker applies the events it claims together in one transaction, and falls back to one by one. */
describe.each(databaseKinds())('batched processing on %s', (kind) => {
  const h = suiteHarness(kind);
  const deps = () => ({ db: h.runtime.database.db, config: h.config, logger: createLogger('error', true), providers });
  const claimAll = () => claimEvents(h.runtime.database.db, { limit: 50, leaseSeconds: 60, maxAttempts: 8 });

  afterEach(async () => {
    await allowMessageBodies(h);
    await h.runtime.database.db.execute(sql`truncate webhook_events, canonical_events, emails, messages`);
  });

  it('applies a batch whole, several events of one record included', async () => {
    const id = emailId();
    const t = (s: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, s));
    for (const [type, at] of [
      ['email.opened', t(3)],
      ['email.sent', t(0)],
      ['email.delivered', t(1)],
      ['email.opened', t(2)],
    ] as const) {
      expect((await postResend(h, emailEvent(type, id, { at }))).status).toBe(200);
    }
    const sms = inboundSms();
    expect((await postTwilio(h, sms)).status).toBe(200);

    const batch = await claimAll();
    expect(batch).toHaveLength(5);
    expect(await processEvents(deps(), batch)).toEqual(Array(5).fill('processed'));

    const [email] = await h.rows<Record<string, unknown>>(
      sql`select status, open_count, first_opened_at, last_opened_at from emails where external_id = ${id}`,
    );
    expect(email).toMatchObject({ status: 'opened', open_count: 2 });
    expect([email!.first_opened_at, email!.last_opened_at].map((v) => new Date(String(v)))).toEqual([t(2), t(3)]);
    expect(await h.rows(sql`select body from messages where external_id = ${sms.MessageSid}`)).toEqual([
      { body: sms.Body },
    ]);
    expect(await h.rows(sql`select count(*)::int as n from canonical_events`)).toEqual([{ n: 5 }]);
    expect(await h.rows(sql`select distinct status from webhook_events`)).toEqual([{ status: 'processed' }]);
  });

  it('an event the database refuses fails alone; the rest of its batch is applied', async () => {
    const good = inboundSms();
    const refused = inboundSms({ Body: 'private words the database refuses' });
    await refuseMessageBody(h, refused.Body!);
    const id = emailId();
    expect((await postTwilio(h, good)).status).toBe(200);
    expect((await postTwilio(h, refused)).status).toBe(200);
    expect((await postResend(h, emailEvent('email.delivered', id))).status).toBe(200);

    const batch = await claimAll();
    const outcomes = await processEvents(deps(), batch);
    const outcomeOf = Object.fromEntries(batch.map((e, i) => [e.id, outcomes[i]]));
    const rows = await h.rows<{ id: string; status: string; last_error: string | null }>(
      sql`select id, status, last_error from webhook_events order by received_at`,
    );
    expect(rows.map((r) => [r.status, outcomeOf[r.id]])).toEqual([
      ['processed', 'processed'],
      ['failed', 'failed'],
      ['processed', 'processed'],
    ]);
    // The database's reason, without the query's values (the message body here).
    expect(rows[1]!.last_error).toMatch(/^database: .*check constraint/);
    expect(rows[1]!.last_error).not.toContain(refused.Body);
    expect(await h.rows(sql`select external_id from messages`)).toEqual([{ external_id: good.MessageSid }]);
    expect(await h.rows(sql`select status from emails where external_id = ${id}`)).toEqual([{ status: 'delivered' }]);
  });

  it('a claim lost mid-batch leaves that event to its new owner and applies the others once', async () => {
    const first = inboundSms();
    const second = inboundSms();
    expect((await postTwilio(h, first)).status).toBe(200);
    expect((await postTwilio(h, second)).status).toBe(200);

    const db = h.runtime.database.db;
    const stale = await claimEvents(db, { limit: 10, leaseSeconds: 1, maxAttempts: 8 });
    expect(stale).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1200));
    const [retaken] = await claimEvents(db, { limit: 1, leaseSeconds: 60, maxAttempts: 8 });
    expect(retaken).toMatchObject({ id: stale[0]!.id, attempts: 2 });

    expect(await processEvents(deps(), stale)).toEqual(['lost', 'processed']);
    expect(await h.rows(sql`select status, attempts from webhook_events order by received_at`)).toEqual([
      { status: 'processing', attempts: 2 },
      { status: 'processed', attempts: 1 },
    ]);
    expect(await h.rows(sql`select external_id from messages`)).toEqual([{ external_id: second.MessageSid }]);

    expect(await processEvents(deps(), [retaken!])).toEqual(['processed']);
    expect(await h.rows(sql`select external_id from messages order by external_id`)).toEqual(
      [first.MessageSid, second.MessageSid].sort().map((external_id) => ({ external_id })),
    );
    expect(await h.rows(sql`select count(*)::int as n from canonical_events`)).toEqual([{ n: 2 }]);
  });
});

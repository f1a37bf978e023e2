import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { readFixture, readJsonFixture } from '../helpers/fixtures';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null ? null : new Date(v as string | Date).toISOString());
const fixtureData = (type: string) => readJsonFixture(type).data;
const TAGS = { category: 'quote', job: '123' };

/** Each email event type and what its row must then hold, beyond the fields every event carries. */
const EMAIL_CASES: [string, Row][] = [
  ['email.sent', { status: 'sent', direction: 'outbound', tags: TAGS }],
  ['email.scheduled', { status: 'scheduled' }],
  ['email.delivered', { status: 'delivered', tags: TAGS }],
  ['email.delivery_delayed', { status: 'delivery_delayed' }],
  // The bounced fixture carries tags as Resend's array of {name, value}: stored as an object all the same.
  ['email.bounced', { status: 'bounced', bounce: fixtureData('email.bounced').bounce, tags: TAGS }],
  ['email.complained', { status: 'complained', complained_at: readJsonFixture('email.complained').created_at }],
  ['email.failed', { status: 'failed', failure_reason: 'reached_daily_quota' }],
  ['email.suppressed', { status: 'suppressed', suppression: fixtureData('email.suppressed').suppressed }],
  ['email.received', { status: 'received', direction: 'inbound', subject: 'Re: Your quote #123 is ready' }],
  ['email.opened', { status: 'opened', open_count: 1, first_opened_at: readJsonFixture('email.opened').created_at }],
  [
    'email.clicked',
    {
      status: 'clicked',
      click_count: 1,
      last_clicked_link: 'https://acme.com/quotes/123?utm_source=email',
      first_clicked_at: '2026-05-01T12:08:12.512Z',
    },
  ],
];
const TIMES = ['complained_at', 'first_opened_at', 'first_clicked_at', 'status_at', 'sent_at'];

describe.each(databaseKinds())('Resend events end to end on %s', (kind) => {
  const h = suiteHarness(kind);

  const email = async (id: string) => {
    const rows = await h.rows<Row>(sql`select * from emails where external_id = ${id}`);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    for (const column of TIMES) row[column] = iso(row[column]);
    return row;
  };
  const eventStatus = async (svixId: string) =>
    h.rows<Row>(sql`select event_type, status, note from webhook_events where dedupe_key = ${svixId}`);

  it.each(EMAIL_CASES)('%s writes its email row', async (type, expected) => {
    const id = emailId();
    const svixId = `msg_${randomUUID()}`;
    const event = emailEvent(type, id);
    const data = event.data as Row;
    const res = await postResend(h, event, svixId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const [stored] = await h.rows<{ id: string }>(sql`select id from webhook_events where dedupe_key = ${svixId}`);
    expect(res.body).toEqual({ received: true, id: stored!.id, duplicate: false });
    expect(await h.drain()).toEqual(['processed']);

    expect(await email(id)).toMatchObject({
      provider: 'resend',
      subject: data.subject,
      from_address: data.from,
      to_addresses: data.to,
      message_id: `<${id}@email.amazonses.com>`,
      status_at: event.created_at,
      sent_at: iso(data.created_at),
      open_count: 0,
      click_count: 0,
      ...expected,
    });
    expect(await eventStatus(svixId)).toEqual([{ event_type: type, status: 'processed', note: null }]);
  });

  it('email.opened counts opens and keeps the first and last open times', async () => {
    const id = emailId();
    const early = new Date('2026-05-01T13:00:00.000Z');
    const late = new Date('2026-05-01T15:30:00.000Z');
    // The later open arrives first: first/last must follow the event times, not arrival order.
    for (const at of [late, early]) {
      expect((await postResend(h, emailEvent('email.opened', id, { at }))).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const row = await email(id);
    expect(row).toMatchObject({
      status: 'opened',
      open_count: 2,
      click_count: 0,
      first_opened_at: early.toISOString(),
    });
    expect(iso(row.last_opened_at)).toBe(late.toISOString());
  });

  it('email.clicked counts clicks and keeps the latest link', async () => {
    const id = emailId();
    const clicks = [
      { link: 'https://acme.com/quote/1', timestamp: '2026-05-01T14:00:00.000Z' },
      { link: 'https://acme.com/pay/1', timestamp: '2026-05-01T14:05:00.000Z' },
    ];
    for (const click of clicks) {
      const event = emailEvent('email.clicked', id, {
        data: { click: { ...(fixtureData('email.clicked').click as Row), ...click } },
      });
      expect((await postResend(h, event)).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const row = await email(id);
    expect(row).toMatchObject({ status: 'clicked', click_count: 2, last_clicked_link: 'https://acme.com/pay/1' });
    expect(row.first_clicked_at).toBe(clicks[0]!.timestamp);
    expect(iso(row.last_clicked_at)).toBe(clicks[1]!.timestamp);
  });

  it.each(['contact.created', 'domain.updated', 'suppression.added'])(
    '%s (the fixture byte for byte) is processed without touching emails',
    async (type) => {
      const before = await h.rows(sql`select id, status from emails order by id`);
      const svixId = `msg_${randomUUID()}`;
      expect((await postResend(h, readFixture('resend', `${type}.json`), svixId)).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
      expect(await eventStatus(svixId)).toEqual([{ event_type: type, status: 'processed', note: null }]);
      expect(await h.rows(sql`select id, status from emails order by id`)).toEqual(before);
    },
  );

  it('an unknown event type is stored and ignored with a note', async () => {
    const svixId = `msg_${randomUUID()}`;
    const event = { type: 'broadcast.sent', created_at: new Date().toISOString(), data: { id: randomUUID() } };
    expect((await postResend(h, event, svixId)).status).toBe(200);
    expect(await h.drain()).toEqual(['ignored']);
    const [row] = await eventStatus(svixId);
    expect(row).toMatchObject({ event_type: 'broadcast.sent', status: 'ignored' });
    expect(row!.note).toMatch(/broadcast\.sent/);
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';
import { emailData, emailId, postResend, resendEvent } from '../helpers/webhooks';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null ? null : new Date(v as string | Date).toISOString());

/** Each email event type, the extra `data` it carries, and what its row must then hold. */
const EMAIL_CASES: [string, Record<string, unknown>, Row][] = [
  ['email.sent', {}, { status: 'sent', direction: 'outbound' }],
  ['email.scheduled', {}, { status: 'scheduled' }],
  ['email.delivered', {}, { status: 'delivered' }],
  ['email.delivery_delayed', {}, { status: 'delivery_delayed' }],
  [
    'email.bounced',
    { bounce: { type: 'Permanent', subType: 'General', message: 'Mailbox not found', diagnosticCode: ['550 5.1.1'] } },
    {
      status: 'bounced',
      bounce: { type: 'Permanent', subType: 'General', message: 'Mailbox not found', diagnosticCode: ['550 5.1.1'] },
    },
  ],
  ['email.complained', {}, { status: 'complained' }],
  ['email.failed', { failed: { reason: 'reached_daily_quota' } }, { status: 'failed', failure_reason: 'reached_daily_quota' }],
  [
    'email.suppressed',
    { suppressed: { message: 'Recipient is on the suppression list', type: 'OnAccountSuppressionList' } },
    { status: 'suppressed', suppression: { message: 'Recipient is on the suppression list', type: 'OnAccountSuppressionList' } },
  ],
  [
    'email.received',
    { to: ['support@acme.com'], from: 'Customer <c@example.com>', cc: [], bcc: [], attachments: [] },
    { status: 'received', direction: 'inbound', to_addresses: ['support@acme.com'], from_address: 'Customer <c@example.com>' },
  ],
];

describe.each(databaseKinds())('Resend events end to end on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(kind);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => h.close());

  const email = async (id: string) => {
    const rows = await h.rows<Row>(sql`select * from emails where external_id = ${id}`);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const eventStatus = async (svixId: string) =>
    h.rows<Row>(sql`select event_type, status, note from webhook_events where dedupe_key = ${svixId}`);

  it.each(EMAIL_CASES)('%s writes its email row', async (type, extra, expected) => {
    const id = emailId();
    const svixId = `msg_${randomUUID()}`;
    const res = await postResend(h, resendEvent(type, emailData(id, extra)), svixId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const [stored] = await h.rows<{ id: string }>(sql`select id from webhook_events where dedupe_key = ${svixId}`);
    expect(res.body).toEqual({ received: true, id: stored!.id, duplicate: false });
    expect(await h.drain()).toEqual(['processed']);

    const row = await email(id);
    expect(row).toMatchObject({
      provider: 'resend',
      subject: 'Your quote',
      message_id: `<${id}@resend.dev>`,
      to_addresses: ['customer@example.com'],
      open_count: 0,
      click_count: 0,
      ...expected,
    });
    if (type === 'email.complained') expect(row.complained_at).not.toBeNull();
    expect(await eventStatus(svixId)).toEqual([{ event_type: type, status: 'processed', note: null }]);
  });

  it('email.opened counts opens and keeps the first and last open times', async () => {
    const id = emailId();
    const early = new Date('2026-05-01T13:00:00.000Z');
    const late = new Date('2026-05-01T15:30:00.000Z');
    // The later open arrives first: first/last must follow the event times, not arrival order.
    for (const at of [late, early]) {
      expect((await postResend(h, resendEvent('email.opened', emailData(id), at))).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const row = await email(id);
    expect(row).toMatchObject({ status: 'opened', open_count: 2, click_count: 0 });
    expect(iso(row.first_opened_at)).toBe(early.toISOString());
    expect(iso(row.last_opened_at)).toBe(late.toISOString());
  });

  it('email.clicked counts clicks and keeps the latest link', async () => {
    const id = emailId();
    const clicks = [
      { link: 'https://acme.com/quote/1', timestamp: '2026-05-01T14:00:00.000Z' },
      { link: 'https://acme.com/pay/1', timestamp: '2026-05-01T14:05:00.000Z' },
    ];
    for (const click of clicks) {
      const event = resendEvent('email.clicked', emailData(id, { click: { ipAddress: '203.0.113.9', userAgent: 'x', ...click } }));
      expect((await postResend(h, event)).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const row = await email(id);
    expect(row).toMatchObject({ status: 'clicked', click_count: 2, last_clicked_link: 'https://acme.com/pay/1' });
    expect(iso(row.first_clicked_at)).toBe(clicks[0]!.timestamp);
    expect(iso(row.last_clicked_at)).toBe(clicks[1]!.timestamp);
  });

  it.each([
    ['contact.created', { id: randomUUID(), audience_id: randomUUID(), email: 'c@example.com', unsubscribed: false }],
    ['domain.updated', { id: randomUUID(), name: 'acme.com', status: 'verified', region: 'us-east-1', records: [] }],
    ['suppression.added', { id: randomUUID(), email: 'bad@example.com', origin: 'bounce', source_id: randomUUID() }],
  ])('%s is processed without touching emails', async (type, data) => {
    const before = await h.rows(sql`select id from emails`);
    const svixId = `msg_${randomUUID()}`;
    expect((await postResend(h, resendEvent(type, data), svixId)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await eventStatus(svixId)).toEqual([{ event_type: type, status: 'processed', note: null }]);
    expect(await h.rows(sql`select id from emails`)).toEqual(before);
  });

  it('an unknown event type is stored and ignored with a note', async () => {
    const svixId = `msg_${randomUUID()}`;
    expect((await postResend(h, resendEvent('broadcast.sent', { id: randomUUID() }), svixId)).status).toBe(200);
    expect(await h.drain()).toEqual(['ignored']);
    const [row] = await eventStatus(svixId);
    expect(row).toMatchObject({ event_type: 'broadcast.sent', status: 'ignored' });
    expect(row!.note).toMatch(/broadcast\.sent/);
  });
});

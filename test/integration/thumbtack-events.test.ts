import { sql } from 'drizzle-orm';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, TEST_SECRETS, type Harness } from '../helpers/harness';
import {
  basicAuthorization,
  postThumbtack,
  thumbtackFixture,
  thumbtackFixtureText,
} from '../fakes/thumbtack-deliveries';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v === null ? null : new Date(v as string | Date).toISOString());

describe.each(databaseKinds())('Thumbtack events end to end on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(kind);
  });
  afterAll(() => h.close());
  // One database per suite (opening one is slow); every test starts from empty tables.
  beforeEach(() => h.rows(sql`truncate webhook_events, canonical_events, leads, messages, reviews`));

  const inbox = () =>
    h.rows<Row>(
      sql`select event_type, dedupe_key, status, note, last_error, headers, body from webhook_events order by received_at`,
    );
  const canonical = () =>
    h.rows<Row>(sql`select type, record_kind, external_id, data from canonical_events order by type`);

  it('stores a new lead with every field and its canonical event', async () => {
    const body = thumbtackFixtureText('negotiation-created');
    const res = await postThumbtack(h, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, duplicate: false });
    expect(await h.drain()).toEqual(['processed']);

    const [stored] = await inbox();
    expect(stored).toMatchObject({
      event_type: 'NegotiationCreatedV4',
      dedupe_key: 'negotiation:590299344770662410',
      status: 'processed',
    });
    expect(Buffer.from(stored!.body as Uint8Array).toString('utf8')).toBe(body);
    expect((stored!.headers as Record<string, string>).authorization).toBe('[redacted]');

    const leads = await h.rows<Row>(sql`select * from leads`);
    expect(leads).toHaveLength(1);
    const lead = leads[0]!;
    expect(lead).toMatchObject({
      provider: 'thumbtack',
      external_id: '590299344770662410',
      customer_id: '590299344770162703',
      customer_name: 'Dana Reyes',
      customer_phone: '5615550142',
      business_id: '590297085345701895',
      business_name: 'Griffis Property Group',
      category: 'Junk Removal',
      description: 'Need a sectional and two mattresses gone',
      location: { address1: '123 Main St', city: 'Lake Worth', state: 'FL', zipCode: '33460' },
      details: [{ question: 'Frequency of services', answer: 'One time only' }],
      proposed_times: [{ start: '2026-09-18T14:00:00Z', end: '2026-09-18T16:00:00Z' }],
      estimate: { type: 'Fixed', total: '$150.00', pricePerUnit: '150.00', unitName: 'service', unitQuantity: 1 },
      lead_price: '$25.00',
      status: 'Open',
      charge_state: 'Created',
    });
    expect(iso(lead.lead_created_at)).toBe('2026-09-15T04:02:24.000Z');
    expect(await canonical()).toEqual([
      { type: 'lead.created', record_kind: 'lead', external_id: '590299344770662410', data: null },
    ]);
  });

  it("stores a customer message as inbound and a business reply as outbound in the lead's conversation", async () => {
    expect((await postThumbtack(h, thumbtackFixtureText('message-from-customer'))).status).toBe(200);
    expect((await postThumbtack(h, thumbtackFixtureText('message-from-business'))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed', 'processed']);
    const rows = await h.rows<Row>(
      sql`select provider, external_id, conversation_id, direction, from_address, sender_name, body, media, status, sent_at
          from messages order by sent_at`,
    );
    expect(rows.map((r) => ({ ...r, sent_at: iso(r.sent_at) }))).toEqual([
      {
        provider: 'thumbtack',
        external_id: '590299512886423561',
        conversation_id: '590299344770662410',
        direction: 'inbound',
        from_address: '590299344770162703',
        sender_name: 'Dana R.',
        body: 'Can you come Thursday morning? Photos of the sectional attached.',
        media: [{ url: 'https://www.thumbtack.com/attachment/5f0c1e2d9a/sectional.jpg', contentType: 'image/jpeg' }],
        status: 'received',
        sent_at: '2026-09-15T04:05:10.000Z',
      },
      {
        provider: 'thumbtack',
        external_id: '590299601734156298',
        conversation_id: '590299344770662410',
        direction: 'outbound',
        from_address: '590297085345701895',
        sender_name: 'Griffis Property Group',
        body: 'Thursday 9am works. $150 covers the sectional and both mattresses.',
        media: [],
        status: 'sent',
        sent_at: '2026-09-15T04:09:45.000Z',
      },
    ]);
    expect((await canonical()).map((e) => e.type)).toEqual(['message.received', 'message.sent']);
  });

  it('stores a review', async () => {
    expect((await postThumbtack(h, thumbtackFixtureText('review-created'))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    const [review] = await h.rows<Row>(sql`select * from reviews`);
    expect(review).toMatchObject({
      provider: 'thumbtack',
      external_id: '590412765330918411',
      business_id: '590297085345701895',
      negotiation_id: '590299344770662410',
      rating: 5,
      reviewer_name: 'Dana R.',
      text: 'On time, careful with the stairs, and left the room spotless.',
    });
    expect(iso(review!.reviewed_at)).toBe('2026-09-20T18:30:57.000Z');
    expect((await canonical()).map((e) => e.type)).toEqual(['review.created']);
  });

  it('processes a preset-job event as a canonical event only', async () => {
    expect((await postThumbtack(h, thumbtackFixtureText('preset-job-status-changed'))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await canonical()).toEqual([
      { type: 'thumbtack.preset_job.status_changed', record_kind: null, external_id: null, data: null },
    ]);
    // No table: data.object is the fields Thumbtack sent.
    const [row] = await h.rows<{ body: { data: { object: Record<string, unknown> } } }>(
      sql`select body from canonical_events`,
    );
    expect(row!.body.data.object).toEqual(
      expect.objectContaining({ presetJobID: '590450117632802819', businessID: '590297085345701895', status: 'won' }),
    );
  });

  it.each(['negotiation-created', 'message-from-customer'] as const)(
    'keeps one row when the same %s delivery arrives three times at once',
    async (fixture) => {
      const body = thumbtackFixtureText(fixture);
      const answers = await Promise.all([1, 2, 3].map(() => postThumbtack(h, body)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.map((a) => a.body.duplicate).sort()).toEqual([false, true, true]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await h.drain()).toEqual(['processed']);
      expect(await inbox()).toHaveLength(1);
      const table = fixture === 'negotiation-created' ? sql`leads` : sql`messages`;
      expect(await h.rows(sql`select external_id from ${table}`)).toHaveLength(1);
    },
  );

  it('treats a redelivery with a new triggeredAt as the same event', async () => {
    const again = thumbtackFixture('message-from-customer');
    again.event.triggeredAt = '2026-09-15T06:00:00Z';
    expect((await postThumbtack(h, thumbtackFixtureText('message-from-customer'))).body.duplicate).toBe(false);
    expect((await postThumbtack(h, again)).body.duplicate).toBe(true);
  });

  it('stores a message that arrives before its lead, then the lead', async () => {
    await postThumbtack(h, thumbtackFixtureText('message-from-customer'));
    expect(await h.drain()).toEqual(['processed']);
    await postThumbtack(h, thumbtackFixtureText('negotiation-created'));
    expect(await h.drain()).toEqual(['processed']);
    const joined = await h.rows<Row>(
      sql`select l.customer_name, m.body from messages m join leads l
          on l.provider = m.provider and l.external_id = m.conversation_id`,
    );
    expect(joined).toEqual([
      { customer_name: 'Dana Reyes', body: 'Can you come Thursday morning? Photos of the sectional attached.' },
    ]);
  });

  it('stores and ignores a deprecated v2 body, and an unknown v4 event type', async () => {
    expect((await postThumbtack(h, thumbtackFixtureText('legacy-v2-lead'))).status).toBe(200);
    expect((await postThumbtack(h, { event: { eventType: 'NegotiationUpdatedV4' }, data: {} })).status).toBe(200);
    expect(await h.drain()).toEqual(['ignored', 'ignored']);
    const rows = await inbox();
    expect(rows.map((r) => [r.event_type, r.status])).toEqual([
      ['legacy_v2', 'ignored'],
      ['NegotiationUpdatedV4', 'ignored'],
    ]);
    expect(rows[0]!.note).toMatch(/deprecated v2/);
    expect(await h.rows(sql`select 1 from leads`)).toEqual([]);
  });

  it('stores a known event without its id and dead-letters it with the reason, still answering 200', async () => {
    const lead = thumbtackFixture('negotiation-created');
    delete lead.data.negotiationID;
    expect((await postThumbtack(h, lead)).status).toBe(200);
    expect(await h.drain()).toEqual(['dead']);
    const [row] = await inbox();
    expect(row).toMatchObject({ status: 'dead', last_error: expect.stringMatching(/data\.negotiationID/) });
  });

  it.each([
    ['a wrong password', basicAuthorization(TEST_SECRETS.thumbtackUsername, 'wrong-password')],
    ['a wrong username', basicAuthorization('intruder', TEST_SECRETS.thumbtackPassword)],
    ['no credentials', null],
    ['a bearer token', `Bearer ${TEST_SECRETS.thumbtackPassword}`],
  ])('answers 401 to %s and stores nothing', async (_case, authorization) => {
    const res = await postThumbtack(h, thumbtackFixtureText('negotiation-created'), authorization);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_signature' });
    expect(JSON.stringify(res.body)).not.toContain(TEST_SECRETS.thumbtackPassword);
    expect(await inbox()).toEqual([]);
  });
});

describe('Thumbtack without credentials', () => {
  it(
    'answers 503 naming the variables to set',
    async () => {
      const h = await openHarness('pglite', { THUMBTACK_WEBHOOK_USERNAME: '', THUMBTACK_WEBHOOK_PASSWORD: '' });
      try {
        const res = await postThumbtack(h, thumbtackFixtureText('negotiation-created'));
        expect(res.status).toBe(503);
        expect(res.body).toEqual({
          error: 'provider_not_configured',
          message: 'set THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD',
        });
      } finally {
        await h.close();
      }
    },
    OPEN_TIMEOUT_MS,
  ); // it opens a runtime: as long as any harness may take on a busy machine
});

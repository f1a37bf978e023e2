import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { datedRows, jobberSuite } from '../fakes/jobber-harness';
import { jobberBody, jobberEvent, postJobber, readJobberApiFixture, readJobberWebhook } from '../fakes/jobber-fixtures';

const client = readJobberApiFixture('client');
const job = readJobberApiFixture('job');
const invoice = readJobberApiFixture('invoice');

describe.each(databaseKinds())('Jobber records on %s', (kind) => {
  const j = jobberSuite(kind, { connected: true });

  const deliver = async (fixture: string) => {
    expect((await postJobber(j.h, readJobberWebhook(fixture))).status).toBe(200);
  };
  const canonical = () =>
    j.h.rows<{ type: string; record_kind: string | null; external_id: string | null }>(
      sql`select type, record_kind, external_id from canonical_events order by created_at, type`,
    );

  it("CLIENT_CREATE fills the clients row from Jobber's API", async () => {
    await deliver('CLIENT_CREATE');
    expect(await j.h.drain()).toEqual(['processed']);
    const rows = await j.h.rows(sql`select * from clients`);
    expect(rows).toEqual([
      expect.objectContaining({
        provider: 'jobber',
        external_id: client.id,
        account_id: jobberEvent('CLIENT_CREATE').accountId,
        name: 'Dana Whitfield',
        company_name: 'Whitfield Property Group',
        emails: client.emails,
        phones: client.phones,
        billing_address: client.billingAddress,
        is_lead: false,
        is_archived: false,
        sync_status: 'synced',
        last_topic: 'CLIENT_CREATE',
        deleted_at: null,
      }),
    ]);
    expect(await canonical()).toEqual([{ type: 'client.created', record_kind: 'client', external_id: client.id }]);
    const [call] = j.fake.calls.filter((c) => c.endpoint === 'graphql');
    expect(call).toMatchObject({
      detail: 'HookportClient',
      version: '2025-01-20',
      authorization: expect.stringMatching(/^Bearer /),
    });
  });

  it('JOB_CREATE and JOB_CLOSED fill the jobs row', async () => {
    await deliver('JOB_CREATE');
    await deliver('JOB_CLOSED');
    expect(await j.h.drain()).toEqual(['processed', 'processed']);
    const rows = await datedRows(
      j.h,
      sql`select external_id, job_number, title, status, client_external_id, total,
      start_at, end_at, completed_at, last_topic, sync_status from jobs`,
    );
    expect(rows).toEqual([
      {
        external_id: job.id,
        job_number: 1042,
        title: 'Spring gutter cleaning',
        status: 'requires_invoicing',
        client_external_id: client.id,
        total: 485.5,
        start_at: new Date('2026-05-02T15:00:00Z'),
        end_at: new Date('2026-05-02T19:00:00Z'),
        completed_at: new Date('2026-05-02T22:58:11Z'),
        last_topic: 'JOB_CLOSED',
        sync_status: 'synced',
      },
    ]);
    expect((await canonical()).map((e) => e.type).sort()).toEqual(['job.closed', 'job.created']);
  });

  it('INVOICE_CREATE fills the invoices row; a change to paid emits invoice.paid once', async () => {
    await deliver('INVOICE_CREATE');
    expect(await j.h.drain()).toEqual(['processed']);
    const select = sql`select invoice_number, subject, status, client_external_id, job_external_ids, total,
      amount_due, amount_paid, issued_date, due_date, received_date from invoices`;
    expect(await datedRows(j.h, select)).toEqual([
      {
        invoice_number: '2087',
        subject: 'For Services Rendered',
        status: 'awaiting_payment',
        client_external_id: client.id,
        job_external_ids: [job.id],
        total: 524.34,
        amount_due: 524.34,
        amount_paid: 0,
        issued_date: new Date('2026-05-02T23:05:00Z'),
        due_date: new Date('2026-06-01T23:05:00Z'),
        received_date: null,
      },
    ]);

    j.fake.put('invoice', {
      ...invoice,
      invoiceStatus: 'paid',
      receivedDate: '2026-05-05T18:00:00Z',
      amounts: { total: 524.34, invoiceBalance: 0, paymentsTotal: 524.34 },
    });
    await deliver('INVOICE_UPDATE');
    // A second, later update while still paid is not a new payment.
    await postJobber(j.h, jobberBody({ ...jobberEvent('INVOICE_UPDATE'), occurredAt: '2026-05-06T12:00:00-06:00' }));
    expect(await j.h.drain()).toEqual(['processed', 'processed']);
    expect(await datedRows(j.h, sql`select status, amount_due, amount_paid, received_date from invoices`)).toEqual([
      { status: 'paid', amount_due: 0, amount_paid: 524.34, received_date: new Date('2026-05-05T18:00:00Z') },
    ]);
    const paid = await j.h.rows<{
      data: unknown;
      body: { data: { object: Record<string, unknown>; previous?: Record<string, unknown> } };
      webhook_event_id: string;
    }>(sql`select data, body, webhook_event_id from canonical_events where type = 'invoice.paid'`);
    expect(paid).toEqual([
      {
        data: {
          accountId: jobberEvent('INVOICE_UPDATE').accountId,
          invoiceNumber: '2087',
          total: 524.34,
          clientName: null,
        },
        body: expect.anything(),
        webhook_event_id: expect.any(String),
      },
    ]);
    // The invoice as that update left it, and what the update changed.
    expect(paid[0]!.body.data.object).toEqual(
      expect.objectContaining({ invoice_number: '2087', status: 'paid', amount_due: 0, amount_paid: 524.34 }),
    );
    expect(paid[0]!.body.data.previous).toEqual(
      expect.objectContaining({ status: expect.not.stringMatching(/^paid$/) }),
    );
    const [source] = await j.h.rows<{ event_type: string; dedupe_key: string }>(
      sql`select event_type, dedupe_key from webhook_events where id = ${paid[0]!.webhook_event_id}`,
    );
    expect(source).toEqual({
      event_type: 'INVOICE_UPDATE',
      dedupe_key: expect.stringContaining('2026-05-05T12:00:00-06:00'),
    });
  });

  it('an invoice that leaves paid and is paid again emits invoice.paid again', async () => {
    const at = (iso: string) => jobberBody({ ...jobberEvent('INVOICE_UPDATE'), occurredAt: iso });
    for (const [status, when] of [
      ['paid', '2026-05-05T12:00:00Z'],
      ['past_due', '2026-05-06T12:00:00Z'],
      ['paid', '2026-05-07T12:00:00Z'],
    ] as const) {
      j.fake.put('invoice', { ...invoice, invoiceStatus: status });
      await postJobber(j.h, at(when));
      expect(await j.h.drain()).toEqual(['processed']);
    }
    expect(await j.h.rows(sql`select count(*)::int as n from canonical_events where type = 'invoice.paid'`)).toEqual([
      { n: 2 },
    ]);
  });

  it('a wrong or missing signature is answered 401 and nothing is stored', async () => {
    const wrong = await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'), 'not-the-client-secret');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      error: 'invalid_signature',
      message: expect.stringContaining('JOBBER_CLIENT_SECRET'),
    });
    const missing = await j.h
      .http()
      .post('/webhooks/jobber')
      .set('content-type', 'application/json')
      .send(readJobberWebhook('CLIENT_CREATE'));
    expect(missing.status).toBe(401);
    expect(await j.h.rows(sql`select count(*)::int as n from webhook_events`)).toEqual([{ n: 0 }]);
  });

  it('the signature header is stored redacted', async () => {
    await deliver('CLIENT_CREATE');
    const [event] = await j.h.rows<{ signature: string }>(
      sql`select headers->>'x-jobber-hmac-sha256' as signature from webhook_events`,
    );
    expect(event).toEqual({ signature: '[redacted]' });
  });

  it('the same delivery three times at once makes one row and one event', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => postJobber(j.h, readJobberWebhook('CLIENT_CREATE'))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(sql`select count(*)::int as n from clients`)).toEqual([{ n: 1 }]);
    expect(await j.h.rows(sql`select count(*)::int as n from webhook_events`)).toEqual([{ n: 1 }]);
  });

  it('an older event processed after a newer one does not overwrite it', async () => {
    j.fake.put('client', { ...client, name: 'Dana Whitfield-Ross' });
    await deliver('CLIENT_UPDATE');
    expect(await j.h.drain()).toEqual(['processed']);
    j.fake.put('client', { ...client, name: 'Stale Name' });
    await deliver('CLIENT_CREATE'); // occurred 30 minutes before the update
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await datedRows(j.h, sql`select name, last_topic, source_occurred_at from clients`)).toEqual([
      {
        name: 'Dana Whitfield-Ross',
        last_topic: 'CLIENT_UPDATE',
        source_occurred_at: new Date('2026-05-01T15:30:00Z'),
      },
    ]);
  });

  it.each([
    ['CLIENT_DESTROY', 'clients', 'client.deleted', '2026-05-03T16:00:00Z'],
    ['JOB_DESTROY', 'jobs', 'job.deleted', '2026-05-04T16:00:00Z'],
    ['INVOICE_DESTROY', 'invoices', 'invoice.deleted', '2026-05-09T18:00:00Z'],
  ])(
    '%s keeps the row with deleted_at, and an older update does not revive it',
    async (topic, table, type, deletedAt) => {
      const family = topic.split('_')[0]!;
      await deliver(`${family}_CREATE`);
      await deliver(topic);
      expect(await j.h.drain()).toEqual(['processed', 'processed']);
      await deliver(`${family}_UPDATE`); // occurred before the destroy, delivered after it
      expect(await j.h.drain()).toEqual(['processed']);
      const rows = await datedRows(j.h, sql`select deleted_at, sync_status, last_topic from ${sql.identifier(table)}`);
      expect(rows).toEqual([{ deleted_at: new Date(deletedAt), sync_status: 'synced', last_topic: topic }]);
      expect((await canonical()).map((e) => e.type)).toContain(type);
    },
  );

  it('an older event arriving after a newer one calls no API, keeps the row and still emits its event', async () => {
    j.fake.put('client', { ...client, name: 'Dana Whitfield-Ross' });
    await deliver('CLIENT_UPDATE');
    expect(await j.h.drain()).toEqual(['processed']);
    expect(j.fake.count('graphql')).toBe(1);
    await deliver('CLIENT_CREATE'); // occurred 30 minutes before the update
    expect(await j.h.drain()).toEqual(['processed']);
    expect(j.fake.count('graphql')).toBe(1);
    expect(await datedRows(j.h, sql`select name, sync_status, last_topic, source_occurred_at from clients`)).toEqual([
      {
        name: 'Dana Whitfield-Ross',
        sync_status: 'synced',
        last_topic: 'CLIENT_UPDATE',
        source_occurred_at: new Date('2026-05-01T15:30:00Z'),
      },
    ]);
    const events = await j.h.rows<{ type: string; external_id: string; data: Record<string, unknown> }>(
      sql`select type, external_id, data from canonical_events order by occurred_at`,
    );
    expect(events).toEqual([
      {
        type: 'client.created',
        external_id: client.id,
        data: expect.objectContaining({ syncStatus: 'synced', skipped: 'stale' }),
      },
      { type: 'client.updated', external_id: client.id, data: expect.objectContaining({ syncStatus: 'synced' }) },
    ]);
    expect(events[1]!.data).not.toHaveProperty('skipped');
  });

  it.each([
    ['CLIENT_DESTROY', 'client', 'client.updated'],
    ['JOB_DESTROY', 'job', 'job.updated'],
    ['INVOICE_DESTROY', 'invoice', 'invoice.updated'],
  ] as const)(
    'after %s an update calls no API, even when Jobber would answer the id with an error; the event is processed',
    async (topic, family, type) => {
      const fixture = readJobberApiFixture(family);
      await deliver(topic);
      expect(await j.h.drain()).toEqual(['processed']);
      j.fake.forget(family, String(fixture.id), { notFoundError: true });
      const table = sql.identifier(`${family}s`);
      // One older than the destroy (as Jobber may deliver it late) and one newer.
      const update = jobberEvent(`${topic.split('_')[0]}_UPDATE`);
      await postJobber(j.h, jobberBody(update));
      await postJobber(j.h, jobberBody({ ...update, occurredAt: '2026-07-01T12:00:00Z' }));
      expect(await j.h.drain()).toEqual(['processed', 'processed']);
      expect(j.fake.count('graphql')).toBe(0);
      const [row] = await datedRows(j.h, sql`select deleted_at, sync_status from ${table}`);
      expect(row).toEqual({ deleted_at: new Date(String(jobberEvent(topic).occurredAt)), sync_status: 'not_found' });
      const [stale, newer] = await j.h.rows<{ data: Record<string, unknown> }>(
        sql`select data from canonical_events where type = ${type} order by occurred_at`,
      );
      expect(stale!.data).toMatchObject({ syncStatus: 'not_found', skipped: 'stale' });
      expect(newer!.data).toMatchObject({ syncStatus: 'not_found', skipped: 'deleted' });
    },
  );

  it('a record Jobber answers with null and a NOT_FOUND error is marked not_found, not retried', async () => {
    j.fake.forget('client', String(client.id), { notFoundError: true });
    await deliver('CLIENT_CREATE');
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(sql`select name, sync_status from clients`)).toEqual([
      { name: null, sync_status: 'not_found' },
    ]);
    expect(await j.h.rows(sql`select status, last_error from webhook_events`)).toEqual([
      { status: 'processed', last_error: null },
    ]);
  });

  it('an invoice with more jobs than one page lists them all, page after page', async () => {
    const jobIds = Array.from({ length: 120 }, (_, n) =>
      Buffer.from(`gid://Jobber/Job/${90000 + n}`).toString('base64'),
    );
    j.fake.put('invoice', { ...invoice, jobs: { nodes: jobIds.map((id) => ({ id })) } });
    await deliver('INVOICE_CREATE');
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(sql`select job_external_ids, sync_status from invoices`)).toEqual([
      { job_external_ids: jobIds, sync_status: 'synced' },
    ]);
    expect(j.fake.calls.filter((c) => c.endpoint === 'graphql').map((c) => c.detail)).toEqual([
      'HookportInvoice',
      'HookportInvoiceJobs',
      'HookportInvoiceJobs',
    ]);
  });

  it('a destroy of a record never seen keeps a row with its ids', async () => {
    await deliver('JOB_DESTROY');
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await datedRows(j.h, sql`select external_id, account_id, deleted_at, sync_status from jobs`)).toEqual([
      {
        external_id: job.id,
        account_id: jobberEvent('JOB_DESTROY').accountId,
        deleted_at: new Date('2026-05-04T16:00:00Z'),
        sync_status: 'not_found',
      },
    ]);
    expect(j.fake.count('graphql')).toBe(0);
  });

  it('quotes (and other topics without a table) become canonical events only', async () => {
    await deliver('QUOTE_CREATE');
    await deliver('QUOTE_APPROVED');
    expect(await j.h.drain()).toEqual(['processed', 'processed']);
    expect((await canonical()).map((e) => e.type).sort()).toEqual(['jobber.quote.approved', 'jobber.quote.created']);
    expect(j.fake.count('graphql')).toBe(0);
  });

  it('a record Jobber no longer has keeps its ids, marked not_found', async () => {
    j.fake.records.client.clear();
    await deliver('CLIENT_CREATE');
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(sql`select name, sync_status from clients`)).toEqual([
      { name: null, sync_status: 'not_found' },
    ]);
  });

  it('APP_DISCONNECT clears the tokens; a later event waits for sync; an older APP_CONNECT changes nothing', async () => {
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    await postJobber(j.h, jobberBody({ ...jobberEvent('APP_DISCONNECT'), occurredAt: at(60_000) }));
    expect(await j.h.drain()).toEqual(['processed']);
    // Jobber reporting it, in the worker's transaction: no client address.
    const [account] = await j.h.rows<{ account_id: string }>(sql`select account_id from jobber_accounts`);
    expect(
      await j.h.rows(sql`select actor, address, target from audit_log where action = 'jobber.disconnect'`),
    ).toContainEqual({ actor: 'jobber', address: null, target: account!.account_id });
    await postJobber(j.h, jobberBody({ ...jobberEvent('APP_CONNECT'), occurredAt: at(30_000) })); // older than the disconnect
    expect(await j.h.drain()).toEqual(['processed']);
    expect(
      await datedRows(
        j.h,
        sql`select connection_state, access_token, refresh_token, token_expires_at from jobber_accounts`,
      ),
    ).toEqual([{ connection_state: 'disconnected', access_token: null, refresh_token: null, token_expires_at: null }]);
    await deliver('CLIENT_CREATE');
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(sql`select name, sync_status from clients`)).toEqual([
      { name: null, sync_status: 'awaiting_sync' },
    ]);
    expect((await canonical()).map((e) => e.type)).toEqual(
      expect.arrayContaining(['jobber.app.disconnected', 'jobber.app.connected']),
    );
    expect(j.fake.count('graphql')).toBe(0);
  });

  it('an APP_DISCONNECT that occurred before the account connected (again) keeps the new tokens', async () => {
    const disconnects = sql`select count(*)::int as n from audit_log where action = 'jobber.disconnect'`;
    const [before] = await j.h.rows<{ n: number }>(disconnects);
    await deliver('APP_DISCONNECT'); // occurred 2026-06-01, before connectAccount ran
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(disconnects)).toEqual([before]); // nothing was disconnected
    expect(
      await j.h.rows(sql`select connection_state, access_token is not null as has_token from jobber_accounts`),
    ).toEqual([{ connection_state: 'connected', has_token: true }]);
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

const ADMIN_TOKEN = 'admin-token-for-the-operator-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface Summary {
  id: string;
  provider: string;
  eventType: string;
  status: string;
  attempts: number;
  receivedAt: string;
}

describe.each(databaseKinds())('admin API on %s', (kind) => {
  // Behind a trusted loopback proxy, so the wrong-token sweep below comes from many addresses, each
  // under the guessing limit (auth-limits.test.ts tests the limit).
  const h = suiteHarness(kind, { ADMIN_TOKEN, HEALTH_CACHE_MS: '0', TRUST_PROXY: 'loopback' });
  const get = (path: string) => h.http().get(`/admin/api${path}`).set(auth);
  const post = (path: string, body?: object) => {
    const req = h.http().post(`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const list = async (query = ''): Promise<{ events: Summary[]; nextCursor: string | null }> => {
    const res = await get(`/events${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const statusOf = async (id: string) =>
    (await h.rows<{ status: string }>(sql`select status from webhook_events where id = ${id}::uuid`))[0]?.status;

  // Five events, received in a known order: three Resend (ids kept), then two Twilio.
  const ids: string[] = [];
  const emails: string[] = [];
  beforeAll(async () => {
    for (const type of ['email.sent', 'email.delivered', 'email.opened']) {
      const email = emailId();
      emails.push(email);
      const res = await postResend(h, emailEvent(type, email));
      expect(res.status).toBe(200);
      ids.push(res.body.id);
    }
    for (let i = 0; i < 2; i++) expect((await postTwilio(h, inboundSms())).status).toBe(200);
  });

  it('lists events newest first, with every field the contract names', async () => {
    const { events, nextCursor } = await list();
    expect(events.map((e) => e.provider)).toEqual(['twilio', 'twilio', 'resend', 'resend', 'resend']);
    expect(events[4]).toEqual(
      expect.objectContaining({
        id: ids[0],
        provider: 'resend',
        eventType: 'email.sent',
        status: 'pending',
        attempts: 0,
        dedupeKey: expect.any(String),
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        processedAt: null,
        lastError: null,
      }),
    );
    expect(nextCursor).toBeNull();
  });

  it('filters by provider, type, status and time', async () => {
    expect((await list('?provider=twilio')).events).toHaveLength(2);
    expect((await list('?type=email.delivered')).events.map((e) => e.id)).toEqual([ids[1]]);
    expect((await list('?status=dead')).events).toEqual([]);
    const all = (await list()).events;
    const middle = all[2]!.receivedAt;
    const since = (await list(`?since=${encodeURIComponent(middle)}`)).events;
    expect(since.every((e) => e.receivedAt >= middle)).toBe(true);
    const until = (await list(`?until=${encodeURIComponent(middle)}`)).events;
    expect(until.every((e) => e.receivedAt < middle)).toBe(true);
    expect(since.length + until.length).toBe(5);
  });

  it('pages with an opaque cursor: every row once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { events: Summary[]; nextCursor: string | null } = await list(
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await list()).events.map((e) => e.id));
    expect(new Set(seen).size).toBe(5);
  });

  it('answers 400 invalid_request for a bad filter, limit, cursor or parameter', async () => {
    for (const query of [
      '?status=lost',
      '?limit=0',
      '?limit=501',
      '?limit=ten',
      '?since=yesterday',
      '?cursor=bm9wZQ',
      '?staus=dead',
      '?provider=a&provider=b',
    ]) {
      const res = await get(`/events${query}`);
      expect({ query, status: res.status, error: res.body.error }).toEqual({
        query,
        status: 400,
        error: 'invalid_request',
      });
      expect(res.body.message).toEqual(expect.any(String));
    }
    expect((await get('/events/not-a-uuid')).status).toBe(400);
    expect((await get(`/events/${randomUUID()}`)).body).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it('shows one event: redacted headers, its body as text, and after processing its canonical events', async () => {
    expect(await h.drain()).toEqual(['processed', 'processed', 'processed', 'processed', 'processed']);
    const res = await get(`/events/${ids[1]}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('processed');
    expect(res.body.processedAt).toEqual(expect.any(String));
    expect(res.body.headers['svix-id']).toEqual(expect.any(String));
    expect(JSON.parse(res.body.body).data.email_id).toBe(emails[1]);
    expect(res.body.bodyBase64).toBeUndefined();
    expect(res.body.requestPath).toBe('/webhooks/resend');
    expect(res.body.canonicalEvents).toEqual([
      expect.objectContaining({ type: 'email.delivered', recordKind: 'email', externalId: emails[1] }),
    ]);
  });

  it('gives a body that is not UTF-8 in base64', async () => {
    const [row] = await h.rows<{ id: string }>(
      sql`insert into webhook_events (provider, event_type, dedupe_key, headers, body, status)
        values ('resend', 'email.sent', ${randomUUID()}, '{}'::jsonb, '\\xff00fe'::bytea, 'dead') returning id`,
    );
    const res = await get(`/events/${row!.id}`);
    expect(res.body.body).toBeUndefined();
    expect(Buffer.from(res.body.bodyBase64, 'base64')).toEqual(Buffer.from([0xff, 0x00, 0xfe]));
    expect(res.body.requestPath).toBeNull(); // stored before request paths were kept
    await h.rows(sql`delete from webhook_events where id = ${row!.id}::uuid`);
  });

  it('replays one event from its stored bytes: processed again, nothing duplicated', async () => {
    const before = await h.rows(sql`select count(*)::int as n from emails`);
    const canonicalBefore = await h.rows(sql`select count(*)::int as n from canonical_events`);
    await h.rows(
      sql`update webhook_events set status = 'dead', last_error = 'simulated outage' where id = ${ids[2]}::uuid`,
    );
    const res = await post(`/events/${ids[2]}/replay`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: ids[2], status: 'pending' });
    const [row] = await h.rows<{ attempts: number; last_error: string | null }>(
      sql`select attempts, last_error from webhook_events where id = ${ids[2]}::uuid`,
    );
    expect(row).toEqual({ attempts: 0, last_error: null });
    expect(await h.drain()).toEqual(['processed']);
    expect(await statusOf(ids[2]!)).toBe('processed');
    expect(await h.rows(sql`select count(*)::int as n from emails`)).toEqual(before);
    expect(await h.rows(sql`select count(*)::int as n from canonical_events`)).toEqual(canonicalBefore);
    expect((await post(`/events/${randomUUID()}/replay`)).status).toBe(404);
  });

  it('refuses to replay an event a worker holds now (409), and takes it once the lease is gone', async () => {
    await h.rows(
      sql`update webhook_events set status = 'processing', available_at = now() + interval '1 minute' where id = ${ids[0]}::uuid`,
    );
    const res = await post(`/events/${ids[0]}/replay`);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('conflict');
    await h.rows(sql`update webhook_events set available_at = now() - interval '1 second' where id = ${ids[0]}::uuid`);
    expect((await post(`/events/${ids[0]}/replay`)).status).toBe(202);
    expect(await h.drain()).toEqual(['processed']);
  });

  it('replays by filter, counting first with a dry run', async () => {
    await h.rows(sql`update webhook_events set status = 'dead', last_error = 'simulated' where provider = 'twilio'`);
    const dry = await post('/events/replay', { status: 'dead', dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ matched: 2, replayed: 0 });
    expect((await list('?status=dead')).events).toHaveLength(2);
    const messagesBefore = await h.rows(sql`select count(*)::int as n from messages`);
    const res = await post('/events/replay', { status: 'dead', provider: 'twilio' });
    expect(res.body).toEqual({ matched: 2, replayed: 2 });
    expect(await h.drain()).toEqual(['processed', 'processed']);
    expect((await list('?status=dead')).events).toEqual([]);
    expect(await h.rows(sql`select count(*)::int as n from messages`)).toEqual(messagesBefore);
  });

  it('replays each match once even when the filter still matches the reset rows', async () => {
    const res = await post('/events/replay', { provider: 'resend' });
    expect(res.body).toEqual({ matched: 3, replayed: 3 });
    expect(await h.drain()).toEqual(['processed', 'processed', 'processed']);
  });

  it('refuses a replay without a filter, with an unknown field, or with a body that is not JSON', async () => {
    for (const body of [{}, { dryRun: true }, { status: 'dead', extra: 1 }, { status: 'gone' }]) {
      const res = await post('/events/replay', body);
      expect({ body, status: res.status, error: res.body.error }).toEqual({
        body,
        status: 400,
        error: 'invalid_request',
      });
    }
    const res = await h
      .http()
      .post('/admin/api/events/replay')
      .set(auth)
      .set('content-type', 'application/json')
      .send('{"status":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('reports per-provider answers, statuses and processing delay', async () => {
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    const sms = inboundSms();
    await postTwilio(h, sms);
    await postTwilio(h, sms); // a provider retry
    expect((await h.http().post('/webhooks/resend').send('{}')).status).toBe(401);
    await h.runtime.counts.flush();
    const res = await get('/stats?window=1h');
    expect(res.status).toBe(200);
    expect(res.body.window).toBe('1h');
    const { twilio, resend, jobber } = res.body.providers;
    expect(twilio).toEqual(expect.objectContaining({ received: 4, duplicates: 1, rejected: 0 }));
    // byStatus counts the worker's outcomes in the window (each replay processes again) and the
    // events pending now: twilio 2 processed + 2 replayed; resend 3 + 1 + 1 + 3 replayed.
    expect(twilio.byStatus).toEqual(expect.objectContaining({ processed: 4, pending: 2, dead: 0 }));
    expect(resend.byStatus).toEqual(expect.objectContaining({ processed: 8, pending: 0 }));
    expect(resend).toEqual(expect.objectContaining({ received: 3, duplicates: 0, rejected: 1 }));
    expect(resend.p50Ms).toEqual(expect.any(Number));
    expect(resend.p99Ms).toBeGreaterThanOrEqual(resend.p50Ms);
    expect(jobber).toEqual(expect.objectContaining({ received: 0, p50Ms: null }));
    expect((await get('/stats?window=2d')).status).toBe(400);
    expect((await get('/stats')).body.window).toBe('24h');
  });

  it('describes itself in OpenAPI 3.1, without a token', async () => {
    const res = await h.http().get('/admin/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/audit',
      '/canonical-events',
      '/canonical-events/{id}',
      '/deliveries/{id}/retry',
      '/event-types',
      '/event-types/{type}',
      '/events',
      '/events/replay',
      '/events/{id}',
      '/events/{id}/replay',
      '/jobber/accounts',
      '/jobber/accounts/{accountId}/import',
      '/jobber/runs',
      '/jobber/runs/{id}',
      '/sources',
      '/sources/{name}',
      '/stats',
      '/stats/business',
      '/subscriptions',
      '/subscriptions/{id}',
      '/subscriptions/{id}/deliveries',
      '/subscriptions/{id}/rotate-secret',
      '/subscriptions/{id}/secret',
      '/subscriptions/{id}/stats',
      '/subscriptions/{id}/test',
      '/suppressions',
      '/thumbtack/connection',
      '/thumbtack/setup',
      '/thumbtack/webhooks',
      '/thumbtack/webhooks/{webhookId}',
    ]);
    const listOp = res.body.paths['/events'].get;
    expect(listOp.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['provider', 'status', 'type', 'since', 'until', 'limit', 'cursor']),
    );
    expect(listOp.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/EventPage',
    });
    expect(res.body.components.schemas.EventSummary.required).toEqual(
      expect.arrayContaining([
        'id',
        'provider',
        'eventType',
        'status',
        'attempts',
        'dedupeKey',
        'receivedAt',
        'processedAt',
        'lastError',
      ]),
    );
    expect(JSON.stringify(res.body)).not.toContain('$defs');
  });

  it('answers 401 on every route without the token or with a wrong one, and never echoes it', async () => {
    const doc = (await h.http().get('/admin/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    let client = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations) as ('get' | 'post' | 'patch' | 'delete')[]) {
        const from = `198.51.100.${++client}`;
        const url = `/admin/api${path.replace('{id}', randomUUID())}`;
        const none = await h.http()[method](url).set('x-forwarded-for', from);
        expect({ url, status: none.status, body: none.body }).toEqual({
          url,
          status: 401,
          body: { error: 'unauthorized', message: expect.any(String) },
        });
        const http = h.http();
        const wrong = await http[method](url)
          .set('x-forwarded-for', from)
          .set('Authorization', `Bearer ${ADMIN_TOKEN.slice(0, -1)}x`);
        expect(wrong.status).toBe(401);
      }
    }
    expect((await h.http().get('/admin/api/no-such-route').set(auth)).status).toBe(404);
  });
});

describe.each(databaseKinds())('admin API without ADMIN_TOKEN on %s', (kind) => {
  const h = suiteHarness(kind, {});

  it('answers 503 admin_not_configured on every route, the document included, token or not', async () => {
    for (const [method, path] of [
      ['get', '/admin/api/events'],
      ['get', `/admin/api/events/${randomUUID()}`],
      ['post', `/admin/api/events/${randomUUID()}/replay`],
      ['post', '/admin/api/events/replay'],
      ['get', '/admin/api/stats'],
      ['get', '/admin/api/openapi.json'],
    ] as const) {
      const res = await h.http()[method](path).set('Authorization', 'Bearer anything-at-all-0123456789abcdefghij');
      expect({ path, status: res.status, error: res.body.error }).toEqual({
        path,
        status: 503,
        error: 'admin_not_configured',
      });
    }
  });
});

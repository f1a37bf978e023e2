import { createHmac } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { Webhook } from 'standardwebhooks';
import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { ADMIN_TOKEN, csrfOf, signIn } from '../helpers/console';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';

/** The console's subscription pages, signed in, against a local receiver (private networks allowed). */
describe.each(databaseKinds())('console subscription pages on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_TIMEOUT_MS: '2000',
    DELIVERY_SECRET_OVERLAP: '24h',
  });
  let cookie: string;
  const receiver = new Receiver();
  let url: string;
  beforeAll(async () => {
    cookie = await signIn(h);
    url = await receiver.start();
  });
  afterAll(() => receiver.close());
  const get = (path: string) => h.http().get(path).set('cookie', cookie);
  const post = (path: string, form: Record<string, string>) =>
    h.http().post(path).set('cookie', cookie).type('form').send(form);
  const csrf = async () => csrfOf((await get('/admin/subscriptions')).text);
  const secretIn = (text: string) => /<pre class="secret-value">(whsec_[A-Za-z0-9+/=]+)<\/pre>/.exec(text)?.[1];
  const anySecretIn = (text: string) => /<pre class="secret-value">([^<]+)<\/pre>/.exec(text)?.[1];
  const catalogue = catalogueOf(providers);
  /** Created by the form: a 303 to its page, which shows the secret (left in the session) once. */
  const create = async (form: Record<string, string>) => {
    const res = await post('/admin/subscriptions', { _csrf: await csrf(), kind: 'webhook', ...form });
    expect(res.status).toBe(303);
    const id = /^\/admin\/subscriptions\/([0-9a-f-]{36})$/.exec(res.headers.location!)?.[1];
    expect(id).toBeDefined();
    const page = await get(res.headers.location!);
    const secret = secretIn(page.text);
    expect(secret).toBeDefined();
    registerSecret('subscription secret', secret!);
    return { id: id!, secret: secret!, page: page.text };
  };
  /** A Slack-shaped incoming-webhook URL on the local receiver; registered with the log scan (it is a credential). */
  const slackUrl = (path: string) => {
    registerSecret('slack webhook path', `/services/${path}`);
    return `${url}/services/${path}`;
  };
  const subscriptionRow = (id: string) =>
    h.rows<{
      enabled: boolean;
      disabled_reason: string | null;
      deleted_at: Date | null;
      secret: string;
      event_types: unknown;
      description: string | null;
      url: string;
      signing: string;
      filter: unknown;
      updated_at: Date;
    }>(
      sql`select enabled, disabled_reason, deleted_at, secret, event_types, description, url, signing, filter, updated_at from subscriptions where id = ${id}::uuid`,
    );

  it('lists nothing at first, and the navigation links the page', async () => {
    const page = await get('/admin/subscriptions');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/admin/subscriptions" aria-current="page">Subscriptions</a>');
    expect(page.text).toContain('No subscriptions yet.');
    expect(page.text).toContain('name="_csrf"');
  });

  it('creates a subscription and shows its secret once; a refused form comes back filled in', async () => {
    const bad = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      url: 'ftp://example.com/x',
      eventTypes: 'lead.created',
      description: 'kept',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('URL not allowed: only http and https URLs can be delivered to');
    expect(bad.text).toContain('value="ftp://example.com/x"');
    expect(bad.text).toContain('value="kept"');
    const badTypes = await post('/admin/subscriptions', { _csrf: await csrf(), url, eventTypes: 'lead created, ' });
    expect(badTypes.status).toBe(400);
    expect(badTypes.text).toContain('Event types: must be an event type');
    const empty = await post('/admin/subscriptions', { _csrf: await csrf(), url, eventTypes: ' , ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Event types: give at least one');
    expect(await h.rows(sql`select id from subscriptions`)).toHaveLength(0);

    const { id, secret, page } = await create({ url, eventTypes: 'lead.created, invoice.*', description: 'CRM sync' });
    expect(page).toContain('Subscription created: its signing secret');
    expect(page).toContain('Store it now');
    const [row] = await subscriptionRow(id);
    expect(row).toMatchObject({
      enabled: true,
      secret,
      event_types: ['lead.created', 'invoice.*'],
      description: 'CRM sync',
      url,
    });
    // Shown once: a reload of the page (a GET, nothing resubmitted) and the list do not show it.
    const one = await get(`/admin/subscriptions/${id}`);
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(secret);
    expect(one.text).toContain('<code>lead.created</code>, <code>invoice.*</code>');
    const list = await get('/admin/subscriptions');
    expect(list.text).not.toContain(secret);
    expect(list.text).toContain(`href="/admin/subscriptions/${id}"`);
    expect(list.text).toContain('<span class="badge enabled">enabled</span>');
    expect(list.text).toContain('CRM sync');
  });

  it('refuses a form field the database cannot store (a NUL) with 400, and saves nothing', async () => {
    const before = await h.rows(sql`select id from subscriptions`);
    const res = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'webhook',
      url,
      eventTypes: '*',
      description: 'a\u0000b',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('field description: text with a NUL character');
    expect(await h.rows(sql`select id from subscriptions`)).toEqual(before);
  });

  it('creates a Slack destination: no secret, no secret buttons, and a test send is a Slack message', async () => {
    const odd = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'carrier-pigeon',
      url,
      eventTypes: '*',
    });
    expect(odd.status).toBe(400);
    expect(odd.text).toContain('Kind: ');
    const res = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'slack',
      url: slackUrl('T0CONSOLE/B0TESTSEND/aaaabbbbccccddddeeeeffff'),
      eventTypes: 'lead.created',
      description: 'sales channel',
    });
    expect(res.status).toBe(303);
    const id = /^\/admin\/subscriptions\/([0-9a-f-]{36})\?done=created$/.exec(res.headers.location!)?.[1];
    expect(id).toBeDefined();
    const page = await get(res.headers.location!);
    expect(page.text).toContain('Slack messages are not signed');
    expect(page.text).not.toContain('/secret"');
    expect(page.text).not.toContain('/rotate-secret"');
    expect(page.text).not.toContain('secret-value');
    const before = receiver.received.length;
    const tested = await get(
      (await post(`/admin/subscriptions/${id}/test`, { _csrf: await csrf() })).headers.location!,
    );
    expect(tested.text).toMatch(/Test delivered: the receiver answered 200 in \d+ ms\./);
    const got = receiver.received.at(-1)!;
    expect(receiver.received).toHaveLength(before + 1);
    expect(got.headers['webhook-signature']).toBeUndefined();
    expect(JSON.parse(got.body)).toEqual(
      expect.objectContaining({ text: expect.any(String), blocks: expect.any(Array) }),
    );
    // Its URL is checked as a Slack URL when edited: not a URL at all is refused.
    const refused = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url: 'not a url',
      eventTypes: '*',
      description: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('URL not allowed: not a URL');
  });

  it('masks a Slack URL (a credential) on every page; the edit form never carries it: empty keeps it, filled replaces it', async () => {
    const whole = slackUrl('T0CONSOLE/B0MASKING/gggghhhhiiiijjjjkkkkWxYz');
    const res = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'slack',
      url: whole,
      eventTypes: 'lead.created',
      description: 'masked',
    });
    expect(res.status).toBe(303);
    const id = /\/admin\/subscriptions\/([0-9a-f-]{36})/.exec(res.headers.location!)![1]!;
    const masked = `${url}/services/T…/B…/…`;
    const one = await get(`/admin/subscriptions/${id}`);
    const list = await get('/admin/subscriptions');
    const askDelete = await post(`/admin/subscriptions/${id}/delete`, { _csrf: await csrf() });
    for (const page of [one, list, askDelete]) {
      expect(page.text).not.toContain('/services/T0');
      expect(page.text).toContain(masked);
    }
    expect(one.text).toContain(`<h1 class="mono">${masked}</h1>`);
    expect(one.text).toContain('<input name="url" value=""');
    // Saved with the URL field empty: the stored URL stays.
    const kept = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url: '',
      eventTypes: 'lead.*',
      description: 'still masked',
    });
    expect(kept.status).toBe(303);
    expect((await subscriptionRow(id))[0]).toMatchObject({
      url: whole,
      event_types: ['lead.*'],
      description: 'still masked',
    });
    // A refused edit does not echo a typed Slack URL either.
    const typed = slackUrl('T0CONSOLE/B0REFUSED/llllmmmmnnnnooooppppqqqq').replace('http:', 'ftp:');
    const refused = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url: typed,
      eventTypes: 'lead.*',
      description: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('/services/T0');
    // Filled: replaced.
    const replacement = slackUrl('T0CONSOLE/B0REPLACED/rrrrssssttttuuuuvvvvQrSt');
    const replaced = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url: replacement,
      eventTypes: 'lead.*',
      description: '',
    });
    expect(replaced.status).toBe(303);
    expect((await subscriptionRow(id))[0]!.url).toBe(replacement);
    const after = await get(replaced.headers.location!);
    expect(after.text).toContain(`${url}/services/T…/B…/…`);
    expect(after.text).not.toContain('/services/T0');
  });

  it('disables with its reason, and enables again', async () => {
    const { id } = await create({ url, eventTypes: '*' });
    const off = await post(`/admin/subscriptions/${id}/disable`, { _csrf: await csrf() });
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe(`/admin/subscriptions/${id}?done=disabled`);
    expect((await subscriptionRow(id))[0]).toMatchObject({
      enabled: false,
      disabled_reason: 'disabled by an operator',
    });
    const page = await get(off.headers.location!);
    expect(page.text).toContain('Disabled: new deliveries wait');
    expect(page.text).toContain(
      '<span class="badge disabled">disabled</span> <span class="muted">disabled by an operator</span>',
    );
    expect(page.text).toContain(`action="/admin/subscriptions/${id}/enable"`);
    const list = await get('/admin/subscriptions');
    expect(list.text).toMatch(new RegExp(`data-subscription="${id}"[\\s\\S]*?disabled by an operator`));
    const on = await post(`/admin/subscriptions/${id}/enable`, { _csrf: await csrf() });
    expect(on.headers.location).toBe(`/admin/subscriptions/${id}?done=enabled`);
    expect((await subscriptionRow(id))[0]).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('edits URL, event types and description; refuses a bad edit and keeps what was typed', async () => {
    const { id } = await create({ url, eventTypes: 'lead.created' });
    const done = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url: `${url}?v=2`,
      eventTypes: 'message.*,email.bounced',
      description: 'edited',
    });
    expect(done.status).toBe(303);
    expect((await subscriptionRow(id))[0]).toMatchObject({
      url: `${url}?v=2`,
      event_types: ['message.*', 'email.bounced'],
      description: 'edited',
    });
    expect((await get(done.headers.location!)).text).toContain('Saved.');
    const refused = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url: 'javascript:alert(1)',
      eventTypes: 'lead.*',
      description: 'typed',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('URL not allowed');
    expect(refused.text).toContain('value="javascript:alert(1)"');
    expect((await subscriptionRow(id))[0]!.url).toBe(`${url}?v=2`);
  });

  it('sends a test: the receiver status and duration shown, the delivery listed, verified with its secret', async () => {
    const { id, secret } = await create({ url, eventTypes: '*' });
    const before = receiver.received.length;
    const sent = await post(`/admin/subscriptions/${id}/test`, { _csrf: await csrf() });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toMatch(new RegExp(`^/admin/subscriptions/${id}\\?tested=[0-9a-f-]{36}$`));
    const res = await get(sent.headers.location!);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Test delivered: the receiver answered 200 in \d+ ms\./);
    expect(receiver.received).toHaveLength(before + 1);
    expect(verifyDelivery(secret, receiver.received.at(-1)!).type).toBe('webhook.test');
    expect(res.text).toMatch(
      /<td class="mono">webhook\.test<\/td><td><span class="badge succeeded">succeeded<\/span><\/td><td class="num">1<\/td>\n<td class="num">200<\/td>/,
    );
    expect(res.text).not.toContain(secret);
    // Reading the page again sends nothing more.
    await get(sent.headers.location!);
    expect(receiver.received).toHaveLength(before + 1);
    // A failing receiver: its status and the error shown.
    receiver.answer(() => ({ status: 503, body: 'down for maintenance' }));
    try {
      const failed = await get(
        (await post(`/admin/subscriptions/${id}/test`, { _csrf: await csrf() })).headers.location!,
      );
      expect(failed.text).toMatch(/Test failed: the receiver answered 503 in \d+ ms/);
      expect(failed.text).toContain('<span class="badge dead">dead</span>');
    } finally {
      receiver.answer(() => ({ status: 200, body: 'ok' }));
    }
  });

  /** A dead delivery of a real (stored) canonical event: what an operator retries. */
  const deadDelivery = async (subscriptionId: string, attempts: number) => {
    const [row] = await h.rows<{ id: string }>(sql`with e as (
        insert into canonical_events (webhook_event_id, provider, type, body)
        values (gen_random_uuid(), 'thumbtack', 'lead.created', '{"type":"lead.created","timestamp":"2026-12-06T19:00:00.000Z","data":{}}') returning id
      ) insert into deliveries (subscription_id, canonical_event_id, event_type, status, attempts)
      select ${subscriptionId}::uuid, e.id, 'lead.created', 'dead', ${attempts} from e returning id`);
    return row!;
  };

  it('retries a delivery now: a dead one goes back to pending with a fresh count', async () => {
    const { id } = await create({ url, eventTypes: '*' });
    const dead = await deadDelivery(id, 1);
    const page = await get(`/admin/subscriptions/${id}`);
    expect(page.text).toContain(`action="/admin/subscriptions/${id}/deliveries/${dead!.id}/retry"`);
    const res = await post(`/admin/subscriptions/${id}/deliveries/${dead!.id}/retry`, { _csrf: await csrf() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/subscriptions/${id}?done=retried`);
    expect(await h.rows(sql`select status, attempts from deliveries where id = ${dead!.id}::uuid`)).toEqual([
      { status: 'pending', attempts: 0 },
    ]);
    expect((await get(res.headers.location!)).text).toContain('Queued: the delivery is sent again now');
    const missing = await post(`/admin/subscriptions/${id}/deliveries/00000000-0000-4000-8000-000000000000/retry`, {
      _csrf: await csrf(),
    });
    expect(missing.status).toBe(404);
  });

  it("refuses to retry a delivery through another subscription's page: 404, and the delivery is left as it was", async () => {
    const { id: owner } = await create({ url, eventTypes: '*' });
    const { id: other } = await create({ url, eventTypes: '*' });
    const dead = await deadDelivery(owner, 7);
    const wrong = await post(`/admin/subscriptions/${other}/deliveries/${dead!.id}/retry`, { _csrf: await csrf() });
    expect(wrong.status).toBe(404);
    expect(wrong.text).toContain('No such delivery');
    expect(await h.rows(sql`select status, attempts from deliveries where id = ${dead!.id}::uuid`)).toEqual([
      { status: 'dead', attempts: 7 },
    ]);
    const right = await post(`/admin/subscriptions/${owner}/deliveries/${dead!.id}/retry`, { _csrf: await csrf() });
    expect(right.status).toBe(303);
    expect(await h.rows(sql`select status, attempts from deliveries where id = ${dead!.id}::uuid`)).toEqual([
      { status: 'pending', attempts: 0 },
    ]);
  });

  it('pages through deliveries newest first, and filters them by status', async () => {
    const { id } = await create({ url, eventTypes: '*' });
    await h.rows(sql`insert into deliveries (subscription_id, canonical_event_id, event_type, status, attempts, created_at, last_error)
      select ${id}::uuid, gen_random_uuid(), 'lead.created', case when n % 2 = 0 then 'dead' else 'succeeded' end, 1,
        now() - make_interval(secs => n), case when n % 2 = 0 then 'the receiver answered 500' end
      from generate_series(1, 30) as n`);
    const first = await get(`/admin/subscriptions/${id}`);
    const ids = (text: string) => [...text.matchAll(/data-delivery="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(ids(first.text)).toHaveLength(25);
    const next = /<a href="([^"]+)" rel="next">/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBeDefined();
    const second = await get(next!);
    expect(ids(second.text)).toHaveLength(5);
    expect(second.text).toContain('No older deliveries.');
    const all = [...ids(first.text), ...ids(second.text)];
    const newestFirst = await h.rows<{ id: string }>(
      sql`select id from deliveries where subscription_id = ${id}::uuid order by created_at desc, id desc`,
    );
    expect(all).toEqual(newestFirst.map((r) => r.id));
    const dead = await get(`/admin/subscriptions/${id}?status=dead`);
    expect(ids(dead.text)).toHaveLength(15);
    expect(dead.text).not.toContain('badge succeeded');
    expect(dead.text).toContain('the receiver answered 500');
    expect((await get(`/admin/subscriptions/${id}?cursor=nonsense`)).status).toBe(400);
    expect((await get('/admin/subscriptions/not-a-uuid')).status).toBe(404);
    expect((await get('/admin/subscriptions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it("shows a subscription's last 24 hours from its stats: on its page and in the list", async () => {
    const { id } = await create({ url, eventTypes: '*' });
    for (const ms of [40, 40, 40]) h.runtime.counts.deliverySettled(id, 'succeeded', ms);
    h.runtime.counts.deliverySettled(id, 'failed', 2000);
    await h.runtime.counts.flush();
    const page = await get(`/admin/subscriptions/${id}`);
    expect(page.text).toContain('<b id="stat-attempted">4</b><span>attempted</span>');
    expect(page.text).toContain('<b>3</b><span>succeeded</span>');
    expect(page.text).toContain('<b>1</b><span>failed</span>');
    expect(page.text).toContain('<b>75.0 %</b><span>success rate</span>');
    expect(page.text).toMatch(/<b>\d+ ms<\/b><span>p50 attempt<\/span>/);
    expect(page.text).toMatch(/<b>\d\.\d s<\/b><span>p95 attempt<\/span>/);
    const list = await get('/admin/subscriptions');
    expect(list.text).toMatch(
      new RegExp(
        `data-subscription="${id}"[\\s\\S]*?<td class="num">4</td><td class="num">75.0 %</td><td class="num">\\d+ ms</td><td class="num">\\d\\.\\d s</td>`,
      ),
    );
  });

  it("reads the list's figures for every subscription in one query, each with its own figures", async () => {
    const fast = await create({ url, eventTypes: '*', description: 'fast one' });
    const slow = await create({ url, eventTypes: '*', description: 'slow one' });
    const idle = await create({ url, eventTypes: '*', description: 'idle one' });
    for (const ms of [20, 20]) h.runtime.counts.deliverySettled(fast.id, 'succeeded', ms);
    h.runtime.counts.deliverySettled(slow.id, 'succeeded', 3000);
    h.runtime.counts.deliverySettled(slow.id, 'failed', 3000);
    h.runtime.counts.deliverySettled(slow.id, 'dead', 3000);
    await h.runtime.counts.flush();
    const dialect = new PgDialect();
    const execute = jest.spyOn(h.runtime.database.db, 'execute');
    let page: string;
    let statements: string[];
    try {
      page = (await get('/admin/subscriptions')).text;
      statements = execute.mock.calls.map(([query]) =>
        typeof query === 'string' ? query : dialect.sqlToQuery(query as SQL).sql,
      );
    } finally {
      execute.mockRestore(); // also forgets the calls: read above
    }
    // Reads only: a background flush of the counts may write to the table meanwhile.
    expect(statements.filter((text) => /from activity_counts/.test(text))).toHaveLength(1);
    const figures = (id: string) =>
      new RegExp(
        `data-subscription="${id}"[\\s\\S]*?<td class="num">(\\d+)</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td>`,
      )
        .exec(page)
        ?.slice(1);
    expect(figures(fast.id)).toEqual([
      '2',
      '100 %',
      expect.stringMatching(/^\d+ ms$/),
      expect.stringMatching(/^\d+ ms$/),
    ]);
    expect(figures(slow.id)).toEqual([
      '3',
      '33.3 %',
      expect.stringMatching(/^\d\.\d s$/),
      expect.stringMatching(/^\d\.\d s$/),
    ]);
    expect(figures(idle.id)).toEqual(['0', '—', '—', '—']);
  });

  it('shows the secret after a POST, once, and rotates it after a confirmation that explains the overlap', async () => {
    const { id, secret } = await create({ url, eventTypes: '*' });
    const asked = await post(`/admin/subscriptions/${id}/secret`, { _csrf: await csrf() });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/admin/subscriptions/${id}`);
    expect(asked.text).not.toContain(secret);
    const shown = await get(asked.headers.location!);
    expect(secretIn(shown.text)).toBe(secret);
    expect(shown.headers['cache-control']).toBe('no-store');
    const page = await get(`/admin/subscriptions/${id}`);
    expect(page.text).not.toContain(secret);
    expect(page.text).toContain(
      'data-confirm="Rotate the signing secret? A new secret signs from now on; for 24.0 h every delivery also carries a signature with the current one',
    );
    const ask = await post(`/admin/subscriptions/${id}/rotate-secret`, { _csrf: await csrf() });
    expect(ask.text).toContain('Please confirm');
    expect((await subscriptionRow(id))[0]!.secret).toBe(secret);
    const rotating = await post(`/admin/subscriptions/${id}/rotate-secret`, { _csrf: await csrf(), confirmed: 'yes' });
    expect(rotating.status).toBe(303);
    const rotated = await get(rotating.headers.location!);
    const fresh = secretIn(rotated.text);
    expect(fresh).toBeDefined();
    registerSecret('subscription secret', fresh!);
    expect(fresh).not.toBe(secret);
    expect((await subscriptionRow(id))[0]!.secret).toBe(fresh);
    expect(rotated.text).toContain('each delivery carries two signatures');
    expect((await get(`/admin/subscriptions/${id}`)).text).not.toContain(fresh!);
    // Asked for again: the new one, and the previous one while the overlap lasts.
    const both = await get(
      (await post(`/admin/subscriptions/${id}/secret`, { _csrf: await csrf() })).headers.location!,
    );
    expect(both.text).toContain(fresh!);
    expect(both.text).toContain(secret);
    expect(both.text).toContain('The previous secret still signs until');
  });

  it("post/redirect/get: a reload after creating shows no secret and creates nothing; the flash is one session's, taken once", async () => {
    const { id: neighbour } = await create({ url, eventTypes: 'lead.created' });
    const before = (await h.rows(sql`select id from subscriptions`)).length;
    const res = await post('/admin/subscriptions', { _csrf: await csrf(), kind: 'webhook', url, eventTypes: '*' });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split('/').at(-1)!;
    const [row] = await subscriptionRow(id);
    registerSecret('subscription secret', row!.secret);
    expect(res.text).not.toContain(row!.secret);
    // Another session (another browser) does not get it, nor use it up; nor does another subscription's page.
    const other = await h
      .http()
      .get(res.headers.location!)
      .set('cookie', await signIn(h));
    expect(other.status).toBe(200);
    expect(other.text).not.toContain(row!.secret);
    expect((await get(`/admin/subscriptions/${neighbour}`)).text).not.toContain(row!.secret);
    // The page it redirected to shows it once; a reload shows nothing secret and creates nothing.
    expect(secretIn((await get(res.headers.location!)).text)).toBe(row!.secret);
    const reload = await get(res.headers.location!);
    expect(reload.status).toBe(200);
    expect(reload.text).not.toContain(row!.secret);
    expect(reload.text).not.toContain('secret-value');
    expect(await h.rows(sql`select flash from admin_sessions where flash is not null`)).toEqual([]);
    expect((await h.rows(sql`select id from subscriptions`)).length).toBe(before + 1);
  });

  it('deletes after a confirmation', async () => {
    const { id } = await create({ url, eventTypes: '*' });
    const ask = await post(`/admin/subscriptions/${id}/delete`, { _csrf: await csrf() });
    expect(ask.text).toContain('Please confirm');
    expect(ask.text).toContain(`Delete the subscription to ${url}?`);
    expect((await subscriptionRow(id))[0]!.deleted_at).toBeNull();
    const done = await post(`/admin/subscriptions/${id}/delete`, { _csrf: await csrf(), confirmed: 'yes' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/admin/subscriptions?done=deleted');
    expect((await subscriptionRow(id))[0]!.deleted_at).not.toBeNull();
    expect((await get(done.headers.location!)).text).toContain('Subscription deleted.');
    expect((await get(`/admin/subscriptions/${id}`)).status).toBe(404);
    expect((await post(`/admin/subscriptions/${id}/delete`, { _csrf: await csrf(), confirmed: 'yes' })).status).toBe(
      404,
    );
  });

  it('refuses every POST without the session CSRF token, and changes nothing', async () => {
    const { id, secret } = await create({ url, eventTypes: '*' });
    const [delivery] = await h.rows<{
      id: string;
    }>(sql`insert into deliveries (subscription_id, canonical_event_id, event_type, status)
      values (${id}::uuid, gen_random_uuid(), 'lead.created', 'dead') returning id`);
    const before = receiver.received.length;
    const count = (await h.rows(sql`select id from subscriptions`)).length;
    const paths = [
      '/admin/subscriptions',
      `/admin/subscriptions/${id}/disable`,
      `/admin/subscriptions/${id}/enable`,
      `/admin/subscriptions/${id}/edit`,
      `/admin/subscriptions/${id}/secret`,
      `/admin/subscriptions/${id}/rotate-secret`,
      `/admin/subscriptions/${id}/test`,
      `/admin/subscriptions/${id}/delete`,
      `/admin/subscriptions/${id}/deliveries/${delivery!.id}/retry`,
    ];
    for (const path of paths) {
      for (const token of [undefined, 'wrong-token']) {
        const form: Record<string, string> = {
          url,
          eventTypes: 'x.*',
          confirmed: 'yes',
          ...(token ? { _csrf: token } : {}),
        };
        const res = await post(path, form);
        expect([path, res.status]).toEqual([path, 403]);
        expect(res.text).not.toContain(secret);
      }
    }
    expect((await h.rows(sql`select id from subscriptions`)).length).toBe(count);
    expect((await subscriptionRow(id))[0]).toMatchObject({
      enabled: true,
      deleted_at: null,
      secret,
      event_types: ['*'],
    });
    expect(await h.rows(sql`select status from deliveries where id = ${delivery!.id}::uuid`)).toEqual([
      { status: 'dead' },
    ]);
    expect(receiver.received.length).toBe(before);
  });

  it('escapes a hostile description and URL everywhere', async () => {
    const hostileUrl = `${url}?q="><img src=x onerror=alert(1)>`;
    const description = '<script>alert(2)</script>';
    const { id } = await create({ url: hostileUrl, eventTypes: '*', description });
    for (const path of ['/admin/subscriptions', `/admin/subscriptions/${id}`]) {
      const page = await get(path);
      expect(page.text).not.toMatch(/<script>alert|<img src=x/);
      expect(page.text).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(page.text).toContain('?q=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    }
    const ask = await post(`/admin/subscriptions/${id}/delete`, { _csrf: await csrf() });
    expect(ask.text).not.toMatch(/<img src=x/);
  });
  it('creates with a signing mode, an own secret and a filter: shown on its page; the test is signed in that mode', async () => {
    const own = 'console-own-hmac-secret-0123456789abcdef';
    registerSecret('own subscription secret', own);
    const filter = '{"data": {"object": {"status": {"$in": ["failed", "undelivered"]}}}}';
    const res = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'webhook',
      url,
      eventTypes: 'message.status_changed',
      signing: 'hmac-sha256',
      secret: own,
      filter,
    });
    expect(res.status).toBe(303);
    expect(res.text).not.toContain(own);
    const id = res.headers.location!.split('/').at(-1)!;
    expect((await subscriptionRow(id))[0]).toMatchObject({
      signing: 'hmac-sha256',
      secret: own,
      filter: JSON.parse(filter),
    });
    const page = await get(res.headers.location!);
    expect(anySecretIn(page.text)).toBe(own);
    expect(page.text).toContain('<dt>Signing</dt><dd><code>hmac-sha256</code></dd>');
    expect(page.text).toContain(
      '<pre class="filter">{\n  &quot;data&quot;: {\n    &quot;object&quot;: {\n      &quot;status&quot;: {\n        &quot;$in&quot;: [',
    );
    // The edit form carries the filter as JSON to change; the create-only mode is not in it.
    expect(page.text).toMatch(
      /<form method="post" action="\/admin\/subscriptions\/[0-9a-f-]{36}\/edit"[\s\S]*?<textarea name="filter"[^>]*>\{\n {2}&quot;data&quot;/,
    );
    expect(page.text).toContain(
      'data-confirm="Rotate the signing secret? In hmac-sha256 mode a delivery carries one signature',
    );

    const before = receiver.received.length;
    const sent = await post(`/admin/subscriptions/${id}/test`, {
      _csrf: await csrf(),
      eventType: 'message.status_changed',
      payload: '',
    });
    expect(sent.status).toBe(303);
    const got = receiver.received[before]!;
    expect(got.headers['x-webhook-signature']).toBe(
      `sha256=${createHmac('sha256', own).update(got.body).digest('hex')}`,
    );
    expect(JSON.parse(got.body)).toMatchObject({
      event: 'message.status_changed',
      data: { object: catalogue.get('message.status_changed')!.example.data.object },
    });
  });

  it('refuses a create with an unknown event type, a bad filter or a secret the mode cannot use: the reason on the form, nothing saved, the secret not shown', async () => {
    const count = async () => (await h.rows(sql`select id from subscriptions`)).length;
    const before = await count();
    const badSecret = 'not-whsec-but-long-enough-to-be-a-secret';
    registerSecret('refused subscription secret', badSecret);
    const cases: [Record<string, string>, string][] = [
      [
        { eventTypes: 'message.new' },
        'Event types: &quot;message.new&quot; is not an event type Hookport emits; did you mean ',
      ],
      [
        { eventTypes: 'lead.created, nosuch.*' },
        'Event types: &quot;nosuch.*&quot; matches no event type Hookport emits',
      ],
      [{ filter: '{"data": ' }, 'Filter: not valid JSON'],
      [{ filter: '[1, 2]' }, 'Filter: must be a JSON object'],
      [{ filter: '{"data": {"$bogus": 1}}' }, 'Filter: filter.data.$bogus: unknown operator'],
      [{ secret: badSecret }, 'Secret: a standard-webhooks secret is &quot;whsec_&quot;'],
      [
        { signing: 'hmac-sha256', secret: 'too-short' },
        'Secret: an hmac-sha256 secret is 24 to 256 characters; this one has 9',
      ],
      [{ signing: 'hmac-md5' }, 'Signing: '],
      [
        { kind: 'slack', secret: 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3' },
        'Secret: Slack subscriptions are not signed',
      ],
    ];
    for (const [fields, message] of cases) {
      const form = {
        _csrf: await csrf(),
        kind: 'webhook',
        url,
        eventTypes: 'message.received',
        description: 'typed',
        ...fields,
      };
      const res = await post('/admin/subscriptions', form);
      expect([fields, res.status]).toEqual([fields, 400]);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="typed"');
      expect(res.text).toContain(`value="${form.eventTypes}"`);
      if (fields.secret) expect(res.text).not.toContain(fields.secret);
      if (fields.filter) expect(res.text).toContain(`>${fields.filter.replace(/"/g, '&quot;')}</textarea>`);
    }
    const suggested = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'webhook',
      url,
      eventTypes: 'message.new',
    });
    expect(suggested.text).toMatch(/did you mean [^?]*message\.received/);
    expect(await count()).toBe(before);
  });

  it('edits event types and the filter: an unknown type or a bad filter is refused and nothing changes; an empty filter clears it', async () => {
    const { id } = await create({ url, eventTypes: 'lead.created' });
    const [before] = await subscriptionRow(id);
    const edits: [Record<string, string>, string][] = [
      [{ eventTypes: 'nosuch.*' }, 'Event types: &quot;nosuch.*&quot; matches no event type Hookport emits'],
      [{ eventTypes: 'message.new, lead.*' }, 'did you mean '],
      [{ filter: '{"data": {"$in": 3}}' }, 'Filter: filter.data.$in: '],
      [{ filter: 'not json' }, 'Filter: not valid JSON'],
    ];
    for (const [fields, message] of edits) {
      const res = await post(`/admin/subscriptions/${id}/edit`, {
        _csrf: await csrf(),
        url: `${url}?changed=1`,
        eventTypes: 'lead.*',
        description: 'changed',
        filter: '',
        ...fields,
      });
      expect([fields, res.status]).toEqual([fields, 400]);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="changed"');
    }
    expect((await subscriptionRow(id))[0]).toEqual(before);

    const set = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url,
      eventTypes: 'lead.*',
      description: '',
      filter: '{"data": {"object": {"category": "Junk Removal"}}}',
    });
    expect(set.status).toBe(303);
    expect((await subscriptionRow(id))[0]).toMatchObject({
      event_types: ['lead.*'],
      filter: { data: { object: { category: 'Junk Removal' } } },
    });
    expect((await get(set.headers.location!)).text).toContain('&quot;category&quot;: &quot;Junk Removal&quot;');
    const cleared = await post(`/admin/subscriptions/${id}/edit`, {
      _csrf: await csrf(),
      url,
      eventTypes: 'lead.*',
      description: '',
      filter: '  ',
    });
    expect(cleared.status).toBe(303);
    expect((await subscriptionRow(id))[0]!.filter).toBeNull();
    expect((await get(cleared.headers.location!)).text).toContain(
      '<dt>Filter</dt><dd><span class="muted">none: every event of its types</span></dd>',
    );
  });

  it('sends a typed test from the picker, with the example object or a payload; a bad payload or an unknown type sends nothing', async () => {
    const { id, secret } = await create({ url, eventTypes: 'lead.created' });
    const page = await get(`/admin/subscriptions/${id}`);
    // The picker lists the catalogue's types, webhook.test chosen.
    for (const type of ['lead.created', 'message.received', 'invoice.paid'])
      expect(page.text).toContain(`<option value="${type}">${type}</option>`);
    expect(page.text).toContain('<option value="webhook.test" selected>webhook.test</option>');
    expect(page.text).toContain('<textarea name="payload"');

    const before = receiver.received.length;
    const typed = await post(`/admin/subscriptions/${id}/test`, {
      _csrf: await csrf(),
      eventType: 'lead.created',
      payload: '',
    });
    expect(typed.status).toBe(303);
    const shown = await get(typed.headers.location!);
    expect(shown.text).toMatch(/Test delivered: the receiver answered 200 in \d+ ms\./);
    expect(shown.text).toContain('<option value="lead.created" selected>lead.created</option>');
    const body = new Webhook(secret).verify(receiver.received[before]!.body, receiver.received[before]!.headers) as {
      type: string;
      data: { object: unknown };
    };
    expect(body.type).toBe('lead.created');
    expect(body.data.object).toEqual(catalogue.get('lead.created')!.example.data.object);

    const withPayload = await post(`/admin/subscriptions/${id}/test`, {
      _csrf: await csrf(),
      eventType: 'lead.created',
      payload: '{"customer_name": "Ana", "n": 1}',
    });
    expect(withPayload.status).toBe(303);
    expect(
      (
        new Webhook(secret).verify(receiver.received.at(-1)!.body, receiver.received.at(-1)!.headers) as {
          data: { object: unknown };
        }
      ).data.object,
    ).toEqual({ customer_name: 'Ana', n: 1 });
    expect(receiver.received).toHaveLength(before + 2);

    for (const [form, message] of [
      [{ eventType: 'lead.created', payload: '{"customer_name": ' }, 'Payload: not valid JSON'],
      [{ eventType: 'lead.created', payload: '["a"]' }, 'Payload: must be a JSON object'],
      [
        { eventType: 'lead.craeted', payload: '' },
        'Event type: &quot;lead.craeted&quot; is not an event type Hookport emits; did you mean lead.created',
      ],
      [{ eventType: 'lead.*', payload: '' }, 'Event type: &quot;lead.*&quot; is a pattern'],
    ] as const) {
      const res = await post(`/admin/subscriptions/${id}/test`, { _csrf: await csrf(), ...form });
      expect([form, res.status]).toEqual([form, 400]);
      expect(res.text).toContain(message);
      if (form.payload) expect(res.text).toContain(`>${form.payload.replace(/"/g, '&quot;')}</textarea>`);
    }
    expect(receiver.received).toHaveLength(before + 2);
  });

  it('rotates with an own secret: in an HMAC mode at once (no overlap), in Standard Webhooks with it; a refused one changes nothing', async () => {
    const res = await post('/admin/subscriptions', {
      _csrf: await csrf(),
      kind: 'webhook',
      url,
      eventTypes: '*',
      signing: 'hmac-sha256-hex',
    });
    const id = res.headers.location!.split('/').at(-1)!;
    const generated = anySecretIn((await get(res.headers.location!)).text)!;
    registerSecret('subscription secret', generated);
    expect(generated).toMatch(/^[0-9a-f]{64}$/);

    const refused = await post(`/admin/subscriptions/${id}/rotate-secret`, {
      _csrf: await csrf(),
      confirmed: 'yes',
      secret: 'short',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Secret: an hmac-sha256-hex secret is 24 to 256 characters');
    expect((await subscriptionRow(id))[0]!.secret).toBe(generated);

    const own = 'console-rotated-own-secret-abcdef012345';
    registerSecret('own subscription secret', own);
    // Without JavaScript the confirmation page carries the typed secret on.
    const ask = await post(`/admin/subscriptions/${id}/rotate-secret`, { _csrf: await csrf(), secret: own });
    expect(ask.text).toContain('Please confirm');
    expect(ask.text).toContain('the new secret signs alone from now on');
    expect(ask.text).toContain(`<input type="hidden" name="secret" value="${own}">`);
    expect((await subscriptionRow(id))[0]!.secret).toBe(generated);
    const rotated = await post(`/admin/subscriptions/${id}/rotate-secret`, {
      _csrf: await csrf(),
      secret: own,
      confirmed: 'yes',
    });
    expect(rotated.status).toBe(303);
    const after = await get(rotated.headers.location!);
    expect(anySecretIn(after.text)).toBe(own);
    expect(after.text).toContain('this secret signs alone from now on');
    expect((await subscriptionRow(id))[0]).toMatchObject({ secret: own });
    expect(
      await h.rows(sql`select previous_secret, previous_secret_expires_at from subscriptions where id = ${id}::uuid`),
    ).toEqual([{ previous_secret: null, previous_secret_expires_at: null }]);

    const standard = await create({ url, eventTypes: '*' });
    const whsec = 'whsec_' + Buffer.from('console-rotation-key-of-32-bytes').toString('base64');
    registerSecret('own subscription secret', whsec);
    const overlapping = await get(
      (
        await post(`/admin/subscriptions/${standard.id}/rotate-secret`, {
          _csrf: await csrf(),
          secret: whsec,
          confirmed: 'yes',
        })
      ).headers.location!,
    );
    expect(secretIn(overlapping.text)).toBe(whsec);
    expect(overlapping.text).toContain('each delivery carries two signatures');
  });

  it('escapes a hostile filter on the page and in the form', async () => {
    const { id } = await create({
      url,
      eventTypes: '*',
      filter: '{"data": {"object": {"body": "</textarea><script>alert(3)</script>"}}}',
    });
    const page = await get(`/admin/subscriptions/${id}`);
    expect(page.text).not.toMatch(/<script>alert\(3\)|<\/textarea><script>/);
    expect(page.text).toContain('&lt;/textarea&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
  });
});

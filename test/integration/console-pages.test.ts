import { sql } from 'drizzle-orm';
import { ADMIN_TOKEN, csrfOf, signIn } from '../helpers/console';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';
import { postThumbtack, thumbtackFixtureText } from '../fakes/thumbtack-deliveries';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';
import { providers } from '../../providers';
import { catalogueOf, type CatalogueEntry } from '../../src/events/catalogue';
import { escapeHtml } from '../../src/html/html';
import { eventTypesPage } from '../../src/admin/console/pages/event-types';

const BUSINESS = '590297085345701895';

describe.each(databaseKinds())('console pages on %s', (kind) => {
  let fake: FakeThumbtack;
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [BUSINESS] });
  });
  afterAll(() => fake.close());
  // The fake's address is known only once it listens: the harness reads it through getters.
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    get THUMBTACK_API_URL() {
      return fake.url;
    },
    get THUMBTACK_ACCESS_TOKEN() {
      return fake.token;
    },
  } as unknown as Record<string, string>);
  let cookie: string;
  beforeAll(async () => {
    cookie = await signIn(h);
  });
  const get = (path: string) => h.http().get(path).set('cookie', cookie);
  const post = (path: string, form: Record<string, string>) =>
    h.http().post(path).set('cookie', cookie).type('form').send(form);
  const csrf = async () => csrfOf((await get('/admin/providers')).text);

  it('the overview: business figures over the window asked for, their data for the chart, a 400 for any other window', async () => {
    const week = await get('/admin');
    expect(week.status).toBe(200);
    expect(week.text).toContain('Business figures <span class="muted">last 7 days</span>');
    const blocks = [...week.text.matchAll(/<script type="application\/json" data-chart="([a-z]+)">([^<]*)<\/script>/g)];
    expect(blocks.map((b) => b[1])).toEqual(['sms', 'email', 'leads']);
    const sms = JSON.parse(blocks[0]![2]!) as { days: string[]; series: { label: string }[]; values: number[][] };
    expect(sms.days).toHaveLength(8);
    expect(sms.series.map((s) => s.label)).toEqual(['delivered', 'undelivered', 'failed']);
    expect(sms.values.every((v) => v.length === 8)).toBe(true);
    expect(week.text).toMatch(/<script src="\/admin\/assets\/uplot\.[0-9a-f]{12}\.js" defer><\/script>/);
    expect((await get('/admin?window=30d')).text).toContain('last 30 days');
    const refused = await get('/admin?window=1h');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The window is one of 24h, 7d, 30d.');
  });

  it('escapes whatever a webhook carried: its type, its body, its headers', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const event = {
      ...emailEvent('email.delivered', emailId()),
      type: hostile,
      note: '</pre><script>alert(2)</script>',
    };
    const res = await postResend(h, event);
    expect(res.status).toBe(200);
    const list = await get('/admin/events?provider=resend');
    expect(list.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(list.text).not.toContain(hostile);
    const page = await get(`/admin/events/${res.body.id as string}`);
    expect(page.text).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page.text).not.toMatch(/<script>alert|<img src=x/);
  });

  it('shows a form-encoded body as its decoded fields, and a JSON body pretty-printed', async () => {
    const twilio = await postTwilio(h, inboundSms({ Body: 'Hi & bye' }));
    const [row] = await h.rows<{ id: string }>(
      sql`select id from webhook_events where provider = 'twilio' order by received_at desc limit 1`,
    );
    expect(twilio.status).toBe(200);
    const page = await get(`/admin/events/${row!.id}`);
    expect(page.text).toContain('<th class="mono">Body</th><td class="mono">Hi &amp; bye</td>');
    const thumbtack = await postThumbtack(h, thumbtackFixtureText('negotiation-created'));
    const json = await get(`/admin/events/${thumbtack.body.id as string}`);
    expect(json.text).toMatch(/<pre>\{\n {2}&quot;event&quot;: \{\n/);
  });

  it('lists events by filter and pages through them with a cursor', async () => {
    for (let i = 0; i < 3; i++) await postTwilio(h, inboundSms());
    const all = await get('/admin/events?provider=twilio');
    const twilioRows = (all.text.match(/<tr>\n<td><time/g) ?? []).length;
    expect(twilioRows).toBeGreaterThanOrEqual(3);
    expect(all.text).toContain('No older events.');
    // Two at a time, following the "older" link to the end: every row once, newest first.
    const seen: string[] = [];
    let next: string | undefined = '/admin/events?provider=twilio&limit=2';
    while (next) {
      const page = await get(next);
      expect(page.status).toBe(200);
      seen.push(...[...page.text.matchAll(/href="\/admin\/events\/([0-9a-f-]{36})"/g)].map((m) => m[1]!));
      next = /<a href="([^"]+)" rel="next">/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    }
    expect(seen).toHaveLength(twilioRows);
    expect(new Set(seen).size).toBe(twilioRows);
    const bad = await get('/admin/events?since=yesterday-ish');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('is not a date and time');
    const badCursor = await get('/admin/events?cursor=not-a-cursor');
    expect(badCursor.status).toBe(400);
    // An unknown status or provider is ignored, not passed to SQL.
    expect((await get("/admin/events?status=dead'--&provider=nobody")).status).toBe(200);
  });

  it('replays one event from its page, and refuses an unknown one', async () => {
    await h.drain();
    const [row] = await h.rows<{ id: string }>(
      sql`select id from webhook_events where provider = 'twilio' and status = 'processed' limit 1`,
    );
    const res = await post(`/admin/events/${row!.id}/replay`, { _csrf: await csrf() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/events/${row!.id}?replayed=1`);
    expect(await h.rows(sql`select status, attempts from webhook_events where id = ${row!.id}::uuid`)).toEqual([
      { status: 'pending', attempts: 0 },
    ]);
    expect(await h.drain()).toContain('processed');
    const missing = await post('/admin/events/00000000-0000-0000-0000-000000000000/replay', { _csrf: await csrf() });
    expect(missing.status).toBe(404);
    expect((await get('/admin/events/not-a-uuid')).status).toBe(404);
  });

  it('dead letters: the count, a confirmation page without confirmed=yes, then all replayed', async () => {
    await h.drain();
    await h.rows(sql`update webhook_events set status = 'dead', last_error = 'simulated' where id in
      (select id from webhook_events where provider = 'twilio' and status = 'processed' order by id limit 2)`);
    const page = await get('/admin/dead');
    expect(page.text).toContain('<b id="dead-count">2</b>');
    expect(page.text).toContain(
      'data-confirm="Replay all 2 dead events? Each is processed again from its stored bytes."',
    );
    const ask = await post('/admin/dead/replay', { _csrf: await csrf() });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Please confirm');
    expect(await h.rows(sql`select id from webhook_events where status = 'dead'`)).toHaveLength(2);
    const done = await post('/admin/dead/replay', { _csrf: await csrf(), confirmed: 'yes' });
    expect(done.headers.location).toBe('/admin/dead?replayed=2');
    expect(await h.rows(sql`select id from webhook_events where status = 'dead'`)).toHaveLength(0);
    expect((await get('/admin/dead?replayed=2')).text).toContain('Queued 2 dead events for replay.');
  });

  it('the providers page gives the URL to paste and what to set', async () => {
    const page = await get('/admin/providers');
    for (const name of ['twilio', 'resend', 'jobber', 'thumbtack'])
      expect(page.text).toContain(`https://hooks.example.com/webhooks/${name}`);
    expect(page.text).toContain('href="/admin/providers/thumbtack/webhooks"');
    expect(page.text).toContain('href="/admin/providers/jobber/accounts"');
  });

  it('Thumbtack webhooks: create, disable, enable and delete (confirmed) through the Thumbtack API, never showing a credential', async () => {
    fake.webhooks.clear();
    const url = `/admin/providers/thumbtack/webhooks?business=${BUSINESS}`;
    const empty = await get(url);
    expect(empty.text).toContain('No webhooks');
    const created = await post(url, {
      _csrf: await csrf(),
      op: 'create',
      url: 'https://hooks.example.com/webhooks/thumbtack',
      enabled: 'yes',
      event_MessageCreatedV4: 'yes',
    });
    expect(created.status).toBe(200);
    const [webhook] = [...fake.webhooks.values()];
    expect(created.text).toContain(`Created webhook ${webhook!.webhookID}.`);
    expect(webhook).toMatchObject({
      eventTypes: ['MessageCreatedV4'],
      enabled: true,
      auth: { username: TEST_SECRETS.thumbtackUsername, password: TEST_SECRETS.thumbtackPassword },
    });
    const disabled = await post(url, { _csrf: await csrf(), op: 'disable', webhook: webhook!.webhookID });
    expect(disabled.text).toContain(`Webhook ${webhook!.webhookID} disabled.`);
    expect(fake.webhooks.get(webhook!.webhookID)!.enabled).toBe(false);
    await post(url, { _csrf: await csrf(), op: 'enable', webhook: webhook!.webhookID });
    expect(fake.webhooks.get(webhook!.webhookID)!.enabled).toBe(true);
    const ask = await post(url, { _csrf: await csrf(), op: 'delete', webhook: webhook!.webhookID });
    expect(ask.text).toContain('Please confirm');
    expect(ask.text).toContain(`action="${url}"`);
    expect(fake.webhooks.size).toBe(1);
    const deleted = await post(url, {
      _csrf: await csrf(),
      op: 'delete',
      webhook: webhook!.webhookID,
      confirmed: 'yes',
    });
    expect(deleted.text).toContain(`Deleted webhook ${webhook!.webhookID}.`);
    expect(fake.webhooks.size).toBe(0);
    // Thumbtack's refusals are shown with their status; a credential never is.
    const refused = await post(url, {
      _csrf: await csrf(),
      op: 'create',
      url: 'http://insecure.example/webhooks/thumbtack',
      event_MessageCreatedV4: 'yes',
    });
    expect(refused.status).toBe(502);
    expect(refused.text).toContain('Thumbtack API answered 400: webhookURL must match ^https://');
    for (const text of [empty.text, created.text, disabled.text, deleted.text, refused.text]) {
      expect(text).not.toContain(fake.token);
      expect(text).not.toContain(TEST_SECRETS.thumbtackPassword);
    }
    const otherBusiness = await get('/admin/providers/thumbtack/webhooks?business=123');
    expect(otherBusiness.status).toBe(502);
    expect(otherBusiness.text).toContain('Thumbtack API answered 403');
  });

  it('Jobber accounts: none yet, and what to set before connecting', async () => {
    const page = await get('/admin/providers/jobber/accounts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No account connected yet.');
    expect(page.text).toContain('Set <code>JOBBER_CLIENT_ID</code>');
  });

  it('Jobber accounts: each with its last import and reconciliation, and an Import now button', async () => {
    await h.rows(sql`insert into jobber_accounts (account_id, name, connection_state, state_at, access_token)
      values ('acct-console-1', 'Console Gutters', 'connected', now(), 'not-a-real-token')`);
    await h.rows(sql`insert into jobber_sync_runs (account_id, kind, status, fetched, changed, unchanged, failed, progress, started_at, finished_at)
      values ('acct-console-1', 'reconcile', 'done', 9, 7, 1, 1, '{}', now() - interval '1 minute', now())`);
    // Another account's many later passes do not hide this one's last.
    await h.rows(sql`insert into jobber_sync_runs (account_id, kind, status, started_at, finished_at, created_at)
      select 'acct-console-2', 'reconcile', 'done', now(), now(), now() + make_interval(secs => n) from generate_series(1, 250) n`);
    const page = await get('/admin/providers/jobber/accounts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Console Gutters');
    expect(page.text).toContain('fetched 9, changed 7, unchanged 1, failed 1');
    expect(page.text).toContain('none yet');
    expect(page.text).toContain('Import now');
    expect(page.text).not.toContain('not-a-real-token');

    const posted = await post('/admin/providers/jobber/accounts', {
      _csrf: await csrf(),
      op: 'import',
      account: 'acct-console-1',
    });
    expect(posted.text).toContain('Import queued');
    expect(await h.rows(sql`select actor, action, target from audit_log where action = 'jobber.import'`)).toEqual([
      { actor: 'console', action: 'jobber.import', target: 'acct-console-1' },
    ]);
    expect(
      await h.rows(
        sql`select kind, status from jobber_sync_runs where account_id = 'acct-console-1' and kind = 'import'`,
      ),
    ).toEqual([{ kind: 'import', status: 'queued' }]);
    const again = await get('/admin/providers/jobber/accounts');
    expect(again.text).toMatch(/badge queued/);
    expect(again.text).not.toContain('Import now'); // one is under way
    await h.rows(sql`truncate jobber_sync_runs, jobber_accounts`);
  });

  it('suppressions: may I message this address, and the list, every value escaped', async () => {
    await postTwilio(h, inboundSms({ From: '+14155550142', Body: 'STOP' }));
    const hostile = '<script>alert(3)</script> mailbox unknown';
    await postResend(
      h,
      emailEvent('email.bounced', emailId(), {
        data: { to: ['Hard.Bounce@example.com'], bounce: { type: 'Permanent', message: hostile } },
      }),
    );
    await h.drain();
    const list = await get('/admin/suppressions');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/admin/suppressions" aria-current="page">Suppressions</a>');
    expect(list.text).toContain('<td class="mono">+14155550142</td>');
    expect(list.text).toContain('<td class="mono">hard.bounce@example.com</td>');
    expect(list.text).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(list.text).not.toContain('<script>alert');
    expect((await get('/admin/suppressions?channel=email')).text).not.toContain('+14155550142');

    const [stop] = await h.rows<{ event_id: string }>(
      sql`select event_id from suppressions where address = '+14155550142'`,
    );
    const blocked = await get(`/admin/suppressions?lookup=sms&address=${encodeURIComponent('+1 (415) 555-0142')}`);
    expect(blocked.text).toContain('<strong class="mono">+14155550142</strong> must not be messaged: suppressed since');
    expect(blocked.text).toContain('because of an opt-out: <q>STOP</q>, reported by twilio');
    expect(blocked.text).toContain(`<a href="/admin/events/${stop!.event_id}">the event</a>`);
    const free = await get('/admin/suppressions?lookup=email&address=Someone.Else%40example.com');
    expect(free.text).toContain(
      '<strong class="mono">someone.else@example.com</strong> may be messaged. Hookport has no suppression for it.',
    );
    const bad = await get(`/admin/suppressions?lookup=sms&address=${encodeURIComponent('<b>call me</b>')}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('&quot;&lt;b&gt;call me&lt;/b&gt;&quot; is not a phone number.');
  });

  it('event types: the catalogue grouped by first word, each with description, emitter, record kind, schema and example, escaped', async () => {
    const { entries } = catalogueOf(providers);
    const res = await get('/admin/event-types');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/admin/event-types" aria-current="page">Event types</a>');
    const groups = [
      ...res.text.matchAll(/<h2 id="group-[^"]+">([^<]+) <span class="muted">\((\d+)\)<\/span><\/h2>/g),
    ].map((m) => [m[1], Number(m[2])]);
    const expected = new Map<string, number>();
    for (const e of entries) expected.set(e.type.split('.')[0]!, (expected.get(e.type.split('.')[0]!) ?? 0) + 1);
    expect(groups).toEqual([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    for (const e of entries) {
      const start = res.text.indexOf(`<h3 class="mono">${escapeHtml(e.type)}</h3>`);
      expect({ type: e.type, found: start >= 0 }).toEqual({ type: e.type, found: true });
      const card = res.text.slice(start, res.text.indexOf('</dl>', start));
      expect(card).toContain(escapeHtml(JSON.stringify(e.schema, null, 2)));
      expect(card).toContain(escapeHtml(JSON.stringify(e.example, null, 2)));
      expect(card).toContain(
        e.recordKind ? `<code>${e.recordKind}</code>` : 'none: data.object holds the fields the sender sent',
      );
      for (const p of e.providers) expect(card).toContain(p);
      expect(card.replace(/<\/?code>/g, '`')).toContain(escapeHtml(e.description));
    }
    const test = res.text.slice(res.text.indexOf('<h3 class="mono">webhook.test</h3>'));
    expect(test).toMatch(
      /^<h3 class="mono">webhook.test<\/h3>\n<p>A test event[^]*<dt>Emitted by<\/dt><dd><span class="muted">Hookport itself<\/span><\/dd>/,
    );
    expect(res.text).toContain('<h3 class="mono">contact.suppressed</h3>');

    const contact = await get('/admin/event-types?type=contact.*');
    expect([...contact.text.matchAll(/<h3 class="mono">([^<]+)<\/h3>/g)].map((m) => m[1])).toEqual(
      entries.filter((e) => e.type.startsWith('contact.')).map((e) => e.type),
    );
    const hostileFilter = await get(`/admin/event-types?type=${encodeURIComponent('"><script>alert(4)</script>')}`);
    expect(hostileFilter.status).toBe(200);
    expect(hostileFilter.text).toContain('No event type matches “&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;”.');
    expect(hostileFilter.text).not.toContain('<script>alert');

    // Whatever a catalogue entry holds is text: a description, a provider, a schema or an example.
    const hostile: CatalogueEntry = {
      type: 'evil.<b>type</b>',
      description: 'Sent when `<img src=x onerror=alert(5)>` & </p><script>alert(6)</script>',
      provider: '<i>p</i>',
      providers: ['<i>p</i>'],
      recordKind: '<u>kind</u>',
      schema: { description: '</pre><script>alert(7)</script>' },
      example: {
        type: 'evil',
        timestamp: '2026-12-06T19:00:52.000Z',
        data: { object: { x: '</pre><img src=y>' }, source: { provider: 'p', inboundEventId: null, receivedAt: null } },
      },
    };
    const page = eventTypesPage({ root: '/admin', catalogue: { entries: [hostile] }, query: {} }).text;
    expect(page).not.toMatch(/<(img|script|b|i|u)[ >]/);
    expect(page).toContain(
      '<code>&lt;img src=x onerror=alert(5)&gt;</code> &amp; &lt;/p&gt;&lt;script&gt;alert(6)&lt;/script&gt;',
    );
    expect(page).toContain('&lt;/pre&gt;&lt;script&gt;alert(7)&lt;/script&gt;');
    expect(page).toContain('&lt;/pre&gt;&lt;img src=y&gt;');
    expect(page).toContain('<h3 class="mono">evil.&lt;b&gt;type&lt;/b&gt;</h3>');
  });
});

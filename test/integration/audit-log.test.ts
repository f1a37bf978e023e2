import type { AuditView } from '../../src/audit/entry';
import { sql } from 'drizzle-orm';
import { ADMIN_TOKEN, csrfOf } from '../helpers/console';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';

type Entry = AuditView;

const WRONG = 'not-the-admin-token-for-the-audit-tests-0123456789';
const SLACK_PATH = '/services/T0AUDIT00/B0AUDIT00/auditslacktoken0123456789';
const SLACK_PATH_2 = '/services/T0AUDIT00/B0AUDIT00/auditslacktokenchanged9876';
const OWN_SECRET = 'audit-own-hmac-secret-0123456789abcdef0123';

/**
 * Every operator action leaves one entry (actor, client address behind the trusted proxy, action,
 * target), newest first through the admin API and the console, and no entry holds a secret.
 */
describe.each(databaseKinds())('audit log on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, TRUST_PROXY: 'loopback', DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' });
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, from = '203.0.113.50') =>
    h.http()[method](`/admin/api${path}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).set('x-forwarded-for', from);
  const entries = () =>
    h.rows<Entry & { at: Date }>(sql`select * from audit_log order by at desc, id desc`).then((rows) => rows);
  const last = async () => (await entries())[0]!;
  const secrets: string[] = [ADMIN_TOKEN, WRONG, SLACK_PATH, SLACK_PATH_2, OWN_SECRET];
  registerSecret('slack webhook path', SLACK_PATH);
  registerSecret('slack webhook path', SLACK_PATH_2);
  registerSecret('subscription secret', OWN_SECRET);

  it('console: a sign-in, a refused one with its address, and a sign-out', async () => {
    const refused = await h
      .http()
      .post('/admin/sign-in')
      .type('form')
      .set('x-forwarded-for', '203.0.113.42')
      .send({ token: WRONG, next: '/admin' });
    expect(refused.status).toBe(401);
    expect(await last()).toMatchObject({
      actor: 'console',
      address: '203.0.113.42',
      action: 'operator.sign_in_refused',
      target: null,
    });

    const signedIn = await h
      .http()
      .post('/admin/sign-in')
      .type('form')
      .set('x-forwarded-for', '203.0.113.41')
      .send({ token: ADMIN_TOKEN, next: '/admin' });
    expect(signedIn.status).toBe(303);
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    secrets.push(cookie.split('=')[1]!);
    const signIn = await last();
    expect(signIn).toMatchObject({ actor: 'console', address: '203.0.113.41', action: 'operator.sign_in' });
    expect(signIn.detail).toEqual({ session: expect.stringMatching(/^[0-9a-f]{12}$/) });

    const page = await h.http().get('/admin').set('cookie', cookie);
    const out = await h
      .http()
      .post('/admin/sign-out')
      .set('cookie', cookie)
      .set('x-forwarded-for', '203.0.113.43')
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect(await last()).toMatchObject({
      actor: 'console',
      address: '203.0.113.43',
      action: 'operator.sign_out',
      detail: signIn.detail,
    });
  }, 30_000);

  it('admin API: a wrong bearer token is recorded as a refused sign-in', async () => {
    const res = await h
      .http()
      .get('/admin/api/events')
      .set('authorization', `Bearer ${WRONG}`)
      .set('x-forwarded-for', '203.0.113.44');
    expect(res.status).toBe(401);
    expect(await last()).toMatchObject({
      actor: 'admin-api',
      address: '203.0.113.44',
      action: 'operator.sign_in_refused',
    });
  });

  it('admin API: subscription changes, secret reveals and rotations, each with its target', async () => {
    const created = await api('post', '/subscriptions').send({
      url: 'http://127.0.0.1:9/audit-hook',
      eventTypes: ['email.*'],
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    secrets.push(created.body.secret);
    registerSecret('subscription secret', created.body.secret);
    expect(await last()).toMatchObject({
      actor: 'admin-api',
      address: '203.0.113.50',
      action: 'subscription.create',
      target: id,
      detail: { kind: 'webhook', signing: 'standard-webhooks', eventTypes: ['email.*'], ownSecret: false },
    });

    const shown = await api('get', `/subscriptions/${id}/secret`, '203.0.113.51');
    expect(shown.status).toBe(200);
    expect(await last()).toMatchObject({ action: 'subscription.secret_reveal', target: id, address: '203.0.113.51' });

    const rotated = await api('post', `/subscriptions/${id}/rotate-secret`).send({});
    expect(rotated.status).toBe(200);
    secrets.push(rotated.body.secret);
    registerSecret('subscription secret', rotated.body.secret);
    expect(await last()).toMatchObject({
      action: 'subscription.secret_rotate',
      target: id,
      detail: { ownSecret: false },
    });
    expect((await api('get', `/subscriptions/${id}/secret`)).body.previousSecret).toBe(created.body.secret);

    const changed = await api('patch', `/subscriptions/${id}`).send({ enabled: false, description: 'paused' });
    expect(changed.status).toBe(200);
    expect(await last()).toMatchObject({
      action: 'subscription.update',
      target: id,
      detail: { changed: ['enabled', 'description'], enabled: false },
    });

    expect((await api('delete', `/subscriptions/${id}`)).status).toBe(204);
    expect(await last()).toMatchObject({ action: 'subscription.delete', target: id });

    // Nothing happened, nothing recorded.
    const before = (await entries()).length;
    expect((await api('get', `/subscriptions/${id}/secret`)).status).toBe(404);
    expect((await entries()).length).toBe(before);
  });

  it('a Slack URL and an own secret are recorded as changed, never as values', async () => {
    const slack = await api('post', '/subscriptions').send({
      kind: 'slack',
      url: `http://127.0.0.1:9${SLACK_PATH}`,
      eventTypes: ['lead.created'],
    });
    expect(slack.status).toBe(201);
    const moved = await api('patch', `/subscriptions/${slack.body.id}`).send({
      url: `http://127.0.0.1:9${SLACK_PATH_2}`,
    });
    expect(moved.status).toBe(200);
    expect(await last()).toMatchObject({ action: 'subscription.update', detail: { changed: ['url'] } });

    const hmac = await api('post', '/subscriptions').send({
      url: 'http://127.0.0.1:9/audit-hmac',
      eventTypes: ['*'],
      signing: 'hmac-sha256',
      secret: OWN_SECRET,
    });
    expect(hmac.status).toBe(201);
    expect(await last()).toMatchObject({ action: 'subscription.create', detail: { ownSecret: true } });
  });

  it('replays, one and by filter', async () => {
    const stored = await postResend(h, emailEvent('email.sent', emailId()));
    expect(stored.status).toBe(200);
    await h.drain();
    expect((await api('post', `/events/${stored.body.id}/replay`)).status).toBe(202);
    expect(await last()).toMatchObject({ actor: 'admin-api', action: 'event.replay', target: stored.body.id });
    await h.drain();
    const bulk = await api('post', '/events/replay').send({ provider: 'resend' });
    expect(bulk.status).toBe(200);
    expect(await last()).toMatchObject({
      action: 'event.replay_bulk',
      target: null,
      detail: { filter: { provider: 'resend' }, matched: bulk.body.matched, replayed: bulk.body.replayed },
    });
    // A dry run changes nothing: no entry.
    const before = (await entries()).length;
    expect((await api('post', '/events/replay').send({ provider: 'resend', dryRun: true })).status).toBe(200);
    expect((await entries()).length).toBe(before);
  });

  it('console: subscription changes, secret reveals and rotations, replays, each by its session', async () => {
    const signedIn = await h
      .http()
      .post('/admin/sign-in')
      .type('form')
      .set('x-forwarded-for', '203.0.113.70')
      .send({ token: ADMIN_TOKEN, next: '/admin' });
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const session = (await last()).detail!.session;
    const csrf = csrfOf((await h.http().get('/admin/subscriptions').set('cookie', cookie)).text);
    const post = (path: string, form: Record<string, string> = {}) =>
      h
        .http()
        .post(path)
        .set('cookie', cookie)
        .set('x-forwarded-for', '203.0.113.71')
        .type('form')
        .send({ _csrf: csrf, ...form });
    /** A secret is left in the session for the one page the POST redirects to. */
    const shownSecret = async (res: { status: number; headers: Record<string, string> }) => {
      expect(res.status).toBe(303);
      const page = await h.http().get(res.headers.location!).set('cookie', cookie);
      return /<pre class="secret-value">([^<]+)<\/pre>/.exec(page.text)![1]!;
    };
    const expectLast = async (action: string, target: string | null, detail: Record<string, unknown> = {}) =>
      expect(await last()).toMatchObject({
        actor: 'console',
        address: '203.0.113.71',
        action,
        target,
        detail: { session, ...detail },
      });

    const created = await post('/admin/subscriptions', {
      kind: 'webhook',
      url: 'http://127.0.0.1:9/console-hook',
      eventTypes: 'email.*',
      signing: 'standard-webhooks',
    });
    const secret = await shownSecret(created);
    registerSecret('subscription secret', secret);
    secrets.push(secret);
    const id = (await last()).target!;
    await expectLast('subscription.create', id, { kind: 'webhook', ownSecret: false });

    await shownSecret(await post(`/admin/subscriptions/${id}/secret`));
    await expectLast('subscription.secret_reveal', id);
    secrets.push(await shownSecret(await post(`/admin/subscriptions/${id}/rotate-secret`, { confirmed: 'yes' })));
    registerSecret('subscription secret', secrets.at(-1)!);
    await expectLast('subscription.secret_rotate', id, { ownSecret: false });
    expect((await post(`/admin/subscriptions/${id}/disable`)).status).toBe(303);
    await expectLast('subscription.update', id, { changed: ['enabled'], enabled: false });
    expect((await post(`/admin/subscriptions/${id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    await expectLast('subscription.delete', id);

    const stored = await postResend(h, emailEvent('email.delivered', emailId()));
    await h.drain();
    expect((await post(`/admin/events/${stored.body.id}/replay`)).status).toBe(303);
    await expectLast('event.replay', stored.body.id);
    await h.drain();
    expect((await post('/admin/dead/replay', { confirmed: 'yes' })).status).toBe(303);
    await expectLast('event.replay_bulk', null, { filter: { status: 'dead' }, replayed: 0 });
  }, 30_000);

  it('GET /admin/api/audit pages newest first with a cursor; a bad cursor is a 400', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThan(8);
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('get', `/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.entries);
      cursor = res.body.nextCursor;
    } while (cursor);
    // The page reads include no entry of their own, so the list is the table, in order.
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(seen[0]).toEqual({
      id: all[0]!.id,
      at: new Date(all[0]!.at).toISOString(),
      actor: all[0]!.actor,
      address: all[0]!.address,
      action: all[0]!.action,
      target: all[0]!.target,
      detail: all[0]!.detail,
    });
    const times = seen.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    for (const bad of ['bm9wZQ', 'x', Buffer.from('["1","not-a-uuid"]').toString('base64url')]) {
      const res = await api('get', `/audit?cursor=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
    expect((await api('get', '/audit?limit=0')).status).toBe(400);
    expect((await api('get', '/audit?limit=501')).status).toBe(400);
  });

  it('no entry holds a secret', async () => {
    const text = JSON.stringify(await h.rows(sql`select * from audit_log`));
    expect(secrets.length).toBeGreaterThan(7);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('whsec_');
  });

  it('the console lists the entries, newest first, with a link in its navigation', async () => {
    const signedIn = await h
      .http()
      .post('/admin/sign-in')
      .type('form')
      .set('x-forwarded-for', '203.0.113.60')
      .send({ token: ADMIN_TOKEN, next: '/admin' });
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const page = await h.http().get('/admin/audit').set('cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/admin/audit" aria-current="page">Audit log</a>');
    const rows = [
      ...page.text.matchAll(
        /<tr>\n<td>.*?<\/td><td>([^<]*)<\/td><td class="mono">([^<]*)<\/td>\n<td class="mono" title="[^"]*">([^<]+)<\/td>/g,
      ),
    ];
    expect(rows[0]!.slice(1)).toEqual(['console', '203.0.113.60', 'operator.sign_in']);
    expect(rows.map((r) => r[3])).toEqual(expect.arrayContaining(['subscription.secret_reveal', 'event.replay_bulk']));
    expect(page.text).toContain('jobber.connect'); // a provider's own actions are in the legend
    for (const secret of secrets) expect(page.text).not.toContain(secret);
    const bad = await h.http().get('/admin/audit?cursor=nope').set('cookie', cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('That page link is no longer valid');
  });
});

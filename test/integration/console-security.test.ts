import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { sessionCookies } from '../../src/admin/sessions';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers';
import { ADMIN_TOKEN, csrfOf, signIn } from '../helpers/console';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { captureLogs } from '../helpers/logs';
import { suiteHarness } from '../helpers/suite';
import { postThumbtack, thumbtackFixtureText, THUMBTACK_AUTHORIZATION } from '../fakes/thumbtack-deliveries';

const cookiesOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);

describe.each(databaseKinds())('console sign-in, sessions and CSRF on %s', (kind) => {
  const logs = captureLogs('info');
  const h = suiteHarness(kind, { ADMIN_TOKEN, JOBBER_CLIENT_ID: 'console-test-client' }, { logger: logs.logger });

  it('sends a visitor without a session to the sign-in page, remembering where they were going', async () => {
    for (const [path, next] of [
      ['/admin', '/admin'],
      ['/admin/events?status=dead', '/admin/events?status=dead'],
      ['/admin/providers', '/admin/providers'],
    ] as const) {
      const res = await h.http().get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/sign-in?next=${encodeURIComponent(next)}`);
    }
    const page = await h.http().get('/admin/sign-in');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="token"');
    // Posts without a session change nothing: 401 and the sign-in form.
    const post = await h.http().post('/admin/dead/replay').type('form').send({ confirmed: 'yes' });
    expect(post.status).toBe(401);
    expect(post.text).toContain('name="token"');
  });

  it('a wrong token gets the sign-in page again, 401, logged at info without the value', async () => {
    const wrong = `${ADMIN_TOKEN.slice(0, -1)}x`;
    const res = await h.http().post('/admin/sign-in').type('form').send({ token: wrong, next: '/admin' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('That is not the admin token.');
    expect(cookiesOf(res)).toEqual([]);
    const line = logs.lines.find((l) => l.message === 'console sign-in refused');
    expect(line).toMatchObject({ level: 'info', reason: 'wrong token' });
    expect(logs.raw()).not.toContain(wrong);
    expect((await h.http().post('/admin/sign-in').type('form').send({ next: '/admin' })).status).toBe(401);
  });

  it('signing in sets an HttpOnly, SameSite=Strict, Secure session cookie for /admin and the operator routes; only its digest is stored', async () => {
    const res = await h.http().post('/admin/sign-in').type('form').send({ token: ADMIN_TOKEN, next: '/admin/events' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/events');
    const cookies = cookiesOf(res);
    expect(cookies).toEqual([
      expect.stringMatching(
        /^hookport_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/admin; HttpOnly; SameSite=Strict; Secure$/,
      ),
      expect.stringMatching(
        /^hookport_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/oauth\/thumbtack\/connect; HttpOnly; SameSite=Strict; Secure$/,
      ),
      expect.stringMatching(
        /^hookport_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/oauth\/jobber\/connect; HttpOnly; SameSite=Strict; Secure$/,
      ),
    ]);
    const token = cookies[0]!.split(';')[0]!.split('=')[1]!;
    const rows = await h.rows<{ token_hash: string; csrf_token: string }>(
      sql`select token_hash, csrf_token from admin_sessions`,
    );
    expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    // The page it leads to opens with that cookie.
    const page = await h.http().get('/admin/events').set('cookie', `hookport_session=${token}`);
    expect(page.status).toBe(200);
  });

  it('the cookie is Secure only when PUBLIC_BASE_URL is https, and follows its path', () => {
    const http = sessionCookies({ ...h.config, publicBaseUrl: 'http://localhost:3000' }, ['/admin'], 'v', 60);
    expect(http).toEqual(['hookport_session=v; Max-Age=60; Path=/admin; HttpOnly; SameSite=Strict']);
    const proxied = sessionCookies({ ...h.config, publicBaseUrl: 'https://x.example/hookport/' }, ['/admin'], 'v', 60);
    expect(proxied).toEqual([
      'hookport_session=v; Max-Age=60; Path=/hookport/admin; HttpOnly; SameSite=Strict; Secure',
    ]);
  });

  it('never redirects after sign-in to another site', async () => {
    for (const next of [
      'https://evil.example/admin',
      '//evil.example/admin',
      '/webhooks/twilio',
      '/admin\\@evil.example',
    ]) {
      const res = await h.http().post('/admin/sign-in').type('form').send({ token: ADMIN_TOKEN, next });
      expect(res.headers.location).toBe('/admin');
    }
  });

  it('a post without the CSRF token, or with a wrong one, is refused 403 and changes nothing', async () => {
    const cookie = await signIn(h);
    const page = await h.http().get('/admin/dead').set('cookie', cookie);
    const csrf = csrfOf(page.text);
    const other = csrfOf(
      (
        await h
          .http()
          .get('/admin/dead')
          .set('cookie', await signIn(h))
      ).text,
    );
    expect(other).not.toBe(csrf);
    for (const form of [
      { confirmed: 'yes' },
      { confirmed: 'yes', _csrf: '' },
      { confirmed: 'yes', _csrf: other },
      { confirmed: 'yes', _csrf: `${csrf}x` },
    ]) {
      const res = await h.http().post('/admin/dead/replay').set('cookie', cookie).type('form').send(form);
      expect(res.status).toBe(403);
      expect(res.text).toContain('Refused');
    }
    const signOut = await h.http().post('/admin/sign-out').set('cookie', cookie).type('form').send({});
    expect(signOut.status).toBe(403);
    const ok = await h
      .http()
      .post('/admin/dead/replay')
      .set('cookie', cookie)
      .type('form')
      .send({ confirmed: 'yes', _csrf: csrf });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/admin/dead?replayed=0');
  });

  it('signing out deletes the session: the old cookie no longer opens anything', async () => {
    const cookie = await signIn(h);
    const page = await h.http().get('/admin').set('cookie', cookie);
    expect(page.status).toBe(200);
    const res = await h
      .http()
      .post('/admin/sign-out')
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/sign-in');
    expect(cookiesOf(res)).toEqual([
      'hookport_session=; Max-Age=0; Path=/admin; HttpOnly; SameSite=Strict; Secure',
      'hookport_session=; Max-Age=0; Path=/oauth/thumbtack/connect; HttpOnly; SameSite=Strict; Secure',
      'hookport_session=; Max-Age=0; Path=/oauth/jobber/connect; HttpOnly; SameSite=Strict; Secure',
    ]);
    expect((await h.http().get('/oauth/thumbtack/connect').set('cookie', cookie)).status).toBe(401);
    expect((await h.http().get('/admin').set('cookie', cookie)).status).toBe(303);
    expect((await h.http().get('/oauth/jobber/connect').set('cookie', cookie)).status).toBe(401);
  });

  it('an expired session opens nothing', async () => {
    const cookie = await signIn(h);
    const token = cookie.split('=')[1]!;
    await h.rows(sql`update admin_sessions set expires_at = now() - interval '1 second'
      where token_hash = ${createHash('sha256').update(token).digest('hex')}`);
    expect((await h.http().get('/admin').set('cookie', cookie)).status).toBe(303);
  });

  it('every page has the CSP and the security headers, no-store, and nothing that loads from another origin', async () => {
    const posted = await postThumbtack(h, thumbtackFixtureText('negotiation-created'));
    expect(posted.status).toBe(200);
    await h.drain();
    const cookie = await signIn(h);
    const pages = [
      '/admin',
      '/admin/events',
      `/admin/events/${posted.body.id as string}`,
      '/admin/events?provider=thumbtack&status=processed',
      '/admin/dead',
      '/admin/providers',
      '/admin/providers/thumbtack/webhooks',
      '/admin/providers/jobber/accounts',
      '/admin/no-such-page',
    ];
    const assets = new Set<string>();
    for (const path of pages) {
      const res = await h.http().get(path).set('cookie', cookie);
      expect([200, 404]).toContain(res.status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['cache-control']).toBe('no-store');
      // Every reference stays on this origin: a path, never a scheme or a protocol-relative URL.
      const references = [
        ...res.text.matchAll(/\s(?:src|href|action|formaction|srcset|poster|data)\s*=\s*"([^"]*)"/gi),
      ].map((m) => m[1]!);
      expect(references.length).toBeGreaterThan(3);
      for (const ref of references) expect(ref).toMatch(/^\/(?!\/)/);
      // No inline code (the CSP would block it); a JSON data block for the page's own script is not code.
      expect(res.text).not.toMatch(/<(?:style|script(?![^>]*\btype="application\/json"))\b[^>]*>[^<]/i);
      expect(res.text).not.toMatch(/\sstyle\s*=/i);
      expect(res.text).not.toMatch(/\son[a-z]+\s*=/i);
      for (const ref of references) if (ref.includes('/assets/')) assets.add(ref);
      // No page shows a credential.
      for (const secret of [
        ADMIN_TOKEN,
        TEST_SECRETS.thumbtackPassword,
        THUMBTACK_AUTHORIZATION.slice(6),
        TEST_SECRETS.jobberClientSecret,
        TEST_SECRETS.twilioToken,
      ]) {
        expect(res.text).not.toContain(secret);
      }
    }
    // The console's own files, and on the overview the chart library and the script that draws with it.
    expect([...assets].map((a) => a.replace(/\.[0-9a-f]{12}\./, '.<digest>.')).sort()).toEqual([
      '/admin/assets/charts.<digest>.js',
      '/admin/assets/console.<digest>.css',
      '/admin/assets/console.<digest>.js',
      '/admin/assets/uplot.<digest>.css',
      '/admin/assets/uplot.<digest>.js',
    ]);
    for (const asset of assets) {
      const res = await h.http().get(asset);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      // Nothing loads from elsewhere (a library's licence comment may name its home page).
      expect(res.text.replace(/\/\*![\s\S]*?\*\//g, '')).not.toMatch(/url\(|@import|https?:\/\//);
    }
    const signInPage = await h.http().get('/admin/sign-in');
    expect(signInPage.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(signInPage.headers['cache-control']).toBe('no-store');
  });

  it('the event page shows the stored headers redacted', async () => {
    const posted = await postThumbtack(h, thumbtackFixtureText('message-from-customer'));
    const cookie = await signIn(h);
    const page = await h
      .http()
      .get(`/admin/events/${posted.body.id as string}`)
      .set('cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<th class="mono">authorization<\/th><td class="mono">\[redacted\]<\/td>/);
    expect(page.text).not.toContain(THUMBTACK_AUTHORIZATION);
  });

  it('the Jobber connect route: 401 without a session, on to Jobber with one', async () => {
    expect((await h.http().get('/oauth/jobber/connect')).status).toBe(401);
    const res = await h
      .http()
      .get('/oauth/jobber/connect')
      .set('cookie', await signIn(h));
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/\/authorize\?response_type=code&client_id=/);
  });

  it('a form over 32 KiB is refused 413 before anything reads it', async () => {
    const res = await h
      .http()
      .post('/admin/sign-in')
      .type('form')
      .send({ token: 'x'.repeat(40 * 1024) });
    expect(res.status).toBe(413);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(cookiesOf(res)).toEqual([]);
  });

  it('the admin API paths are left to the admin API', async () => {
    const res = await h.http().get('/admin/api/nothing-here');
    expect(res.headers.location).toBeUndefined();
  });
});

describe.each(databaseKinds())('console without ADMIN_TOKEN on %s', (kind) => {
  const h = suiteHarness(kind, { JOBBER_CLIENT_ID: 'console-test-client' });

  it('answers 503 admin_not_configured on /admin, its pages and sign-in, and on the Jobber connect route', async () => {
    for (const path of ['/admin', '/admin/events', '/admin/sign-in', '/oauth/jobber/connect']) {
      const res = await h.http().get(path);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'admin_not_configured' });
    }
    const post = await h.http().post('/admin/sign-in').type('form').send({ token: ADMIN_TOKEN });
    expect(post.status).toBe(503);
    expect(post.headers['set-cookie']).toBeUndefined();
    expect(await h.rows(sql`select * from admin_sessions`)).toEqual([]);
  });
});

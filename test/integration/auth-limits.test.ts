import { AUTH_FAILURE_LIMITS } from '../../src/http/auth-failures';
import { ADMIN_TOKEN } from '../helpers/console';
import { captureLogs } from '../helpers/logs';
import { suiteHarness } from '../helpers/suite';

const METRICS_TOKEN = 'auth-limits-metrics-token-0123456789abcdef';
const WRONG = 'wrong-token-for-the-limit-tests-0123456789abcdef';

/**
 * Guessing an operator credential is limited per client address (behind a trusted proxy, the one in
 * X-Forwarded-For): past the limit every attempt from there, right or wrong, is a 429 with
 * Retry-After, each failure is counted and logged with the address, and other addresses carry on.
 */
describe('operator credential guessing', () => {
  const logs = captureLogs('info');
  const h = suiteHarness('pglite', { ADMIN_TOKEN, METRICS_TOKEN, TRUST_PROXY: 'loopback' }, { logger: logs.logger });
  const limit = AUTH_FAILURE_LIMITS.perAddress;

  it('the admin API: 401 up to the limit, then 429 even for the right token; other addresses unaffected', async () => {
    const api = (token: string, address: string) =>
      h.http().get('/admin/api/events').set('authorization', `Bearer ${token}`).set('x-forwarded-for', address);
    for (let i = 0; i < limit; i++) expect((await api(WRONG, '203.0.113.10')).status).toBe(401);
    const limited = await api(ADMIN_TOKEN, '203.0.113.10');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'too_many_requests', message: expect.stringMatching(/retry in \d+ s/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api(ADMIN_TOKEN, '203.0.113.11')).status).toBe(200);
    const logged = logs.lines.filter((l) => l.message === 'operator credential refused');
    expect(logged).toContainEqual(expect.objectContaining({ surface: 'admin_api', address: '203.0.113.10' }));
    expect(logs.raw()).not.toContain(WRONG);
  });

  it('the console sign-in: the same limit, answered with the sign-in page and Retry-After', async () => {
    const signIn = (token: string) =>
      h
        .http()
        .post('/admin/sign-in')
        .type('form')
        .set('x-forwarded-for', '203.0.113.20')
        .send({ token, next: '/admin' });
    for (let i = 0; i < limit; i++) expect((await signIn(WRONG)).status).toBe(401);
    const limited = await signIn(ADMIN_TOKEN);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many wrong tokens from here');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();
  }, 30_000);

  it('the metrics token, and the failures counted by surface', async () => {
    const scrape = (token: string) =>
      h.http().get('/metrics').set('authorization', `Bearer ${token}`).set('x-forwarded-for', '203.0.113.30');
    for (let i = 0; i < limit; i++) expect((await scrape(WRONG)).status).toBe(401);
    expect((await scrape(METRICS_TOKEN)).status).toBe(429);
    const text = (
      await h
        .http()
        .get('/metrics')
        .set('authorization', `Bearer ${METRICS_TOKEN}`)
        .set('x-forwarded-for', '203.0.113.31')
    ).text;
    for (const surface of ['admin_api', 'console', 'metrics']) {
      expect(text).toContain(`hookport_operator_auth_failures_total{surface="${surface}"} ${limit}`);
    }
  });
});

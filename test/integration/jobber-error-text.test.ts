import { sql } from 'drizzle-orm';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { captureLogs } from '../helpers/logs';
import { connectAccount, openJobberHarness, resetJobber, type JobberHarness } from '../fakes/jobber-harness';
import { postJobber, readJobberWebhook } from '../fakes/jobber-fixtures';
import { ADMIN_TOKEN, signIn } from '../helpers/console';

/**
 * Jobber error pages that echo what they were sent (authorization code, tokens, client secret) must
 * reach neither the browser nor the logs: the browser sees a status and an error code, the log a
 * scrubbed text.
 */
describe.each(databaseKinds())('Jobber error text on %s', (kind) => {
  const logs = captureLogs();
  let j: JobberHarness;
  beforeAll(async () => {
    // A failed attempt waits a minute, so one drain shows exactly one attempt.
    j = await openJobberHarness(kind, { WORKER_RETRY_BASE_MS: '60000', ADMIN_TOKEN }, { logger: logs.logger });
  });
  afterAll(() => j.close());
  beforeEach(() => resetJobber(j));

  /** Hookport's connect, then the fake's consent page, which answers with a code for the callback. */
  async function startConnect() {
    const start = await j.h
      .http()
      .get('/oauth/jobber/connect')
      .set('cookie', await signIn(j.h));
    const consent = await fetch(start.headers.location!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    return {
      code: back.searchParams.get('code')!,
      callback: () => j.h.http().get(`${back.pathname}${back.search}`).set('cookie', cookie),
    };
  }

  /** The access token the fake saw last, from its Authorization header. */
  const lastBearer = () =>
    j.fake.calls
      .filter((c) => c.endpoint === 'graphql')
      .at(-1)!
      .authorization!.replace(/^Bearer /, '');

  const expectNowhere = (secrets: string[], ...texts: string[]) => {
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      for (const text of [...texts, logs.raw()]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(encodeURIComponent(secret));
      }
    }
  };

  it.each([
    [400, 'json', "Jobber's token endpoint answered 400 invalid_grant"],
    [500, 'html', "Jobber's token endpoint answered 500"],
  ] as const)(
    'the code exchange answered %i (%s, echoing the form): status and code only',
    async (status, format, message) => {
      const { code, callback } = await startConnect();
      j.fake.echoErrorNext('token', status, format);
      const before = logs.lines.length;
      const res = await callback();
      expect(res.status).toBe(502);
      expect(res.body).toEqual({ error: 'jobber_connect_failed', message });
      expectNowhere([code, TEST_SECRETS.jobberClientSecret], res.text);
      // The log keeps Jobber's answer, scrubbed.
      const logged = logs.lines.slice(before).find((l) => l.message === 'jobber connect failed');
      expect(logged).toMatchObject({ error: message, detail: expect.stringContaining('[redacted]') });
    },
  );

  it('the account query answered with an error echoing the new access token: status and code only', async () => {
    const { callback } = await startConnect();
    j.fake.echoErrorNext('graphql', 400, 'json');
    const res = await callback();
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: 'jobber_connect_failed',
      message: 'could not connect the account: Jobber API answered 400 FORBIDDEN',
    });
    expectNowhere([lastBearer()], res.text);
    expect(await j.h.rows(sql`select 1 from jobber_accounts`)).toEqual([]);
  });

  it('a token refresh answered with a page echoing the refresh token and client secret: neither in last_error nor logs', async () => {
    const tokens = await connectAccount(j, { expiresInSec: -10, storedExpiry: new Date(Date.now() - 10_000) });
    j.fake.echoErrorNext('token', 502, 'html');
    expect((await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'))).status).toBe(200);
    expect(await j.h.drain()).toEqual(['failed']);
    const [row] = await j.h.rows<{ last_error: string }>(sql`select last_error from webhook_events`);
    expect(row!.last_error).toBe("Jobber's token endpoint answered 502");
    expectNowhere([tokens.refreshToken, tokens.accessToken, TEST_SECRETS.jobberClientSecret], row!.last_error);
  });

  it('a query answered with an error echoing the access token: scrubbed in last_error and logs', async () => {
    const tokens = await connectAccount(j);
    j.fake.echoErrorNext('graphql', 400, 'json');
    expect((await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'))).status).toBe(200);
    expect(await j.h.drain()).toEqual(['failed']);
    const [row] = await j.h.rows<{ last_error: string }>(sql`select last_error from webhook_events`);
    expect(row!.last_error).toBe('Jobber API answered 400: request rejected: authorization: Bearer [redacted]');
    expectNowhere([tokens.accessToken], row!.last_error);
  });
});

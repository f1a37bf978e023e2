import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { claimEvents } from '../../src/inbox/claim';
import { createLogger } from '../../src/log/logger';
import { processEvent } from '../../src/worker/process';
import { refreshAccountTokens, refreshLocked } from '../../providers/jobber/oauth/tokens';
import { jobberSettings } from '../../providers/jobber/settings';
import { databaseKinds } from '../helpers/harness';
import { connectAccount, datedRows, openJobberHarness, resetJobber, type JobberHarness } from '../fakes/jobber-harness';
import { jobberBody, jobberEvent, postJobber, readJobberApiFixture, readJobberWebhook } from '../fakes/jobber-fixtures';

const clientRow = sql`select name, sync_status from clients`;
const storedTokens = sql`select access_token, refresh_token, token_expires_at from jobber_accounts`;

describe.each(databaseKinds())('Jobber API calls on %s', (kind) => {
  let j: JobberHarness;
  beforeAll(async () => {
    // A failed attempt waits a minute, so one drain shows exactly one attempt.
    j = await openJobberHarness(kind, { WORKER_RETRY_BASE_MS: '60000' });
  });
  afterAll(() => j.close());
  beforeEach(() => resetJobber(j));

  it('THROTTLED defers the event for the time the cost extension implies, without using an attempt; then it succeeds', async () => {
    await connectAccount(j);
    j.fake.throttleNext(1);
    await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'));
    expect(await j.h.drain()).toEqual(['deferred']);
    // The fake reports 42 points available of the 142 requested, restoring 500 a second: 200 ms + margin.
    const [waiting] = await j.h.rows<{ status: string; attempts: number; note: string; wait_ms: number }>(
      sql`select status, attempts, note, extract(epoch from available_at - updated_at) * 1000 as wait_ms from webhook_events`,
    );
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, note: 'Jobber throttled the query (THROTTLED)' });
    expect(Number(waiting!.wait_ms)).toBeGreaterThanOrEqual(290);
    expect(Number(waiting!.wait_ms)).toBeLessThan(1000);
    expect(await j.h.rows(clientRow)).toEqual([]);
    // Rather than sleep, make it due now.
    await j.h.rows(sql`update webhook_events set available_at = now()`);
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(clientRow)).toEqual([{ name: 'Dana Whitfield', sync_status: 'synced' }]);
    expect(await j.h.rows(sql`select attempts from webhook_events`)).toEqual([{ attempts: 1 }]);
  });

  it('a token Jobber says has expired is refreshed once, stored, and the query retried', async () => {
    // Hookport believes the token is good for an hour; Jobber says it has already expired.
    const old = await connectAccount(j, { expiresInSec: -10 });
    await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'));
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(clientRow)).toEqual([{ name: 'Dana Whitfield', sync_status: 'synced' }]);
    expect(j.fake.calls.map((c) => `${c.endpoint}:${c.detail}`)).toEqual([
      'graphql:HookportClient',
      'token:refresh_token',
      'graphql:HookportClient',
    ]);
    const [tokens] = await datedRows(j.h, storedTokens);
    expect(tokens!.access_token).not.toBe(old.accessToken);
    expect(tokens!.refresh_token).not.toBe(old.refreshToken);
    expect(j.fake.calls[2]!.authorization).toBe(`Bearer ${tokens!.access_token as string}`);
    expect((tokens!.token_expires_at as Date).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('a token past its stored expiry is refreshed before the query', async () => {
    await connectAccount(j, { expiresInSec: -10, storedExpiry: new Date(Date.now() - 10_000) });
    await postJobber(j.h, readJobberWebhook('JOB_CREATE'));
    expect(await j.h.drain()).toEqual(['processed']);
    expect(j.fake.calls.map((c) => `${c.endpoint}:${c.detail}`)).toEqual([
      'token:refresh_token',
      'graphql:HookportJob',
    ]);
  });

  it('a refresh token Jobber no longer accepts clears the tokens; the row waits for sync and the event is processed', async () => {
    const tokens = await connectAccount(j, { expiresInSec: -10 });
    j.fake.reset(); // Jobber forgot every token (the app was disconnected there)
    await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'));
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(clientRow)).toEqual([{ name: null, sync_status: 'awaiting_sync' }]);
    expect(await j.h.rows(storedTokens)).toEqual([{ access_token: null, refresh_token: null, token_expires_at: null }]);
    expect(j.fake.count('token')).toBe(1);
    const [event] = await j.h.rows<{ status: string; last_error: string | null }>(
      sql`select status, last_error from webhook_events`,
    );
    expect(event).toEqual({ status: 'processed', last_error: null });
    expect(JSON.stringify(await j.h.rows(sql`select * from webhook_events`))).not.toContain(tokens.refreshToken);
  });

  it('several events in flight for an account whose token expired refresh once; Jobber rotates refresh tokens, and the account stays connected', async () => {
    const old = await connectAccount(j, { expiresInSec: -10, storedExpiry: new Date(Date.now() - 10_000) });
    // The one refresh that wins answers slowly, so any second refresh with the same (now used) refresh
    // token is refused with invalid_grant while the winner's tokens are still on their way.
    j.fake.grantDelayMs = 300;
    const second = {
      ...readJobberApiFixture('client'),
      id: 'Z2lkOi8vSm9iYmVyL0NsaWVudC81MjQxNA==',
      name: 'Second Client',
    };
    j.fake.put('client', second);
    for (const body of [
      readJobberWebhook('CLIENT_CREATE'),
      jobberBody({ ...jobberEvent('CLIENT_CREATE'), itemId: String(second.id) }),
      readJobberWebhook('JOB_CREATE'),
      readJobberWebhook('INVOICE_CREATE'),
    ]) {
      expect((await postJobber(j.h, body)).status).toBe(200);
    }
    // Claimed together, normalized concurrently (each checks the token before its query), as the worker does.
    const claimed = await claimEvents(j.h.runtime.database.db, { limit: 10, leaseSeconds: 60, maxAttempts: 8 });
    expect(claimed).toHaveLength(4);
    const deps = { db: j.h.runtime.database.db, config: j.h.config, logger: createLogger('error', true), providers };
    expect(await Promise.all(claimed.map((event) => processEvent(deps, event)))).toEqual([
      'processed',
      'processed',
      'processed',
      'processed',
    ]);

    const [account] = await datedRows(
      j.h,
      sql`select connection_state, access_token, refresh_token from jobber_accounts`,
    );
    expect(account).toEqual({
      connection_state: 'connected',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const rows = await j.h.rows(sql`select sync_status from clients union all select sync_status from jobs
      union all select sync_status from invoices`);
    expect(rows).toEqual([
      { sync_status: 'synced' },
      { sync_status: 'synced' },
      { sync_status: 'synced' },
      { sync_status: 'synced' },
    ]);
    // One refresh: the others waited for it and used its tokens.
    expect(j.fake.count('token')).toBe(1);
    expect(account!.refresh_token).not.toBe(old.refreshToken);
    // The stored tokens are the ones Jobber issued last, and they work.
    j.fake.grantDelayMs = 0;
    await postJobber(j.h, readJobberWebhook('CLIENT_UPDATE'));
    expect(await j.h.drain()).toEqual(['processed']);
    expect(j.fake.count('token')).toBe(1);
    expect(j.fake.calls.at(-1)).toMatchObject({
      endpoint: 'graphql',
      authorization: `Bearer ${account!.access_token as string}`,
    });
  });

  (kind === 'postgres' ? it : it.skip)(
    'two processes refreshing one account at once: the row lock lets one call Jobber',
    async () => {
      const old = await connectAccount(j, { expiresInSec: -10, storedExpiry: new Date(Date.now() - 10_000) });
      j.fake.grantDelayMs = 300;
      // refreshLocked is what each process runs; called twice at once here, on two pooled connections.
      const db = j.h.runtime.database.db;
      const [a, b] = await Promise.all(
        [0, 1].map(() => refreshLocked(j.h.config, db, j.fake.account.id, { ...old, expiresAt: null })),
      );
      j.fake.grantDelayMs = 0;
      expect(j.fake.count('token')).toBe(1);
      expect(a).toEqual(b);
      expect(a!.refreshToken).not.toBe(old.refreshToken);
      expect(await j.h.rows(sql`select access_token from jobber_accounts`)).toEqual([{ access_token: a!.accessToken }]);
    },
  );

  it('a token endpoint that refuses the app itself (invalid_client) fails the event and keeps the tokens', async () => {
    const tokens = await connectAccount(j, { expiresInSec: -10, storedExpiry: new Date(Date.now() - 10_000) });
    const jobber = { ...jobberSettings.of(j.h.config), clientSecrets: ['not-the-client-secret'] };
    const wrong = { ...j.h.config, providers: { ...j.h.config.providers, jobber } };
    await expect(
      refreshAccountTokens(wrong, j.h.runtime.database.db, j.fake.account.id, { ...tokens, expiresAt: null }),
    ).rejects.toThrow("Jobber's token endpoint answered 401 invalid_client");
    expect(await j.h.rows(sql`select access_token, refresh_token from jobber_accounts`)).toEqual([
      { access_token: tokens.accessToken, refresh_token: tokens.refreshToken },
    ]);
  });

  it("a query error from Jobber fails the event for a retry, with Jobber's message and no token", async () => {
    const tokens = await connectAccount(j);
    j.fake.put('client', { ...readJobberApiFixture('client'), isLead: 'not a boolean' });
    await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'));
    expect(await j.h.drain()).toEqual(['failed']);
    const [event] = await j.h.rows<{ status: string; last_error: string }>(
      sql`select status, last_error from webhook_events`,
    );
    expect(event!.status).toBe('failed');
    expect(event!.last_error).toContain('Jobber API answered 200: Boolean cannot represent');
    expect(event!.last_error).not.toContain(tokens.accessToken);
  });

  it('three events for one invoice processed at once: one row, the newest data, one invoice.paid', async () => {
    await connectAccount(j);
    j.fake.put('invoice', { ...readJobberApiFixture('invoice'), invoiceStatus: 'paid' });
    const base = jobberEvent('INVOICE_UPDATE');
    const times = ['2026-05-05T12:00:00Z', '2026-05-05T12:00:01Z', '2026-05-05T12:00:02Z'];
    for (const occurredAt of times) await postJobber(j.h, jobberBody({ ...base, occurredAt }));
    const claimed = await claimEvents(j.h.runtime.database.db, { limit: 10, leaseSeconds: 60, maxAttempts: 8 });
    expect(claimed).toHaveLength(3);
    const deps = { db: j.h.runtime.database.db, config: j.h.config, logger: createLogger('error', true), providers };
    const outcomes = await Promise.all(claimed.map((event) => processEvent(deps, event)));
    expect(outcomes).toEqual(['processed', 'processed', 'processed']);
    expect(await datedRows(j.h, sql`select status, source_occurred_at from invoices`)).toEqual([
      { status: 'paid', source_occurred_at: new Date(times[2]!) },
    ]);
    expect(await j.h.rows(sql`select count(*)::int as n from canonical_events where type = 'invoice.paid'`)).toEqual([
      { n: 1 },
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireEmbeddedLock } from '../../src/db/embedded-lock';
import { createPostgresDatabase, OPEN_TIMEOUT_MS, postgresServerUrl, TEST_SECRETS } from '../helpers/harness';
import { cliEnv, hookport, type CliRun } from '../helpers/cli';

const ADMIN_TOKEN = 'admin-token-for-config-check-0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-for-config-check-0123456789';
const DB_PASSWORD = 'db-password-never-printed';

/** Every secret the checks run with: none may ever be printed. */
const SECRETS = [
  ADMIN_TOKEN,
  METRICS_TOKEN,
  DB_PASSWORD,
  TEST_SECRETS.twilioToken,
  TEST_SECRETS.resendSecret,
  TEST_SECRETS.resendSecret.replace(/^whsec_/, ''),
  TEST_SECRETS.jobberClientSecret,
  TEST_SECRETS.thumbtackPassword,
];
const runs: CliRun[] = [];
async function check(env: Record<string, string>): Promise<CliRun> {
  const run = await hookport(['config', 'check'], env);
  runs.push(run);
  return run;
}

describe('hookport config check', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-config-check-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    for (const run of runs) for (const secret of SECRETS) expect(run.out + run.err).not.toContain(secret);
  });

  it(
    'exits 0 with every provider configured, its dashboard URL, the tokens set, and an embedded database that opens',
    async () => {
      const run = await check(cliEnv({ DATA_DIR: dataDir, ADMIN_TOKEN, METRICS_TOKEN }));
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/^configuration: valid\nproviders:\n/);
      for (const name of ['twilio', 'resend', 'thumbtack', 'jobber']) {
        expect(run.out).toMatch(
          new RegExp(
            `  ${name} +configured; paste into its dashboard: https://hooks\\.example\\.com/webhooks/${name}\\n`,
          ),
        );
      }
      expect(run.out).toContain('PUBLIC_BASE_URL: https://hooks.example.com\n');
      expect(run.out).toContain('ADMIN_TOKEN: set\nMETRICS_TOKEN: set\n');
      expect(run.out).toMatch(new RegExp(`database: embedded database in ${dataDir} opens \\(\\d+ ms\\)`));
    },
    OPEN_TIMEOUT_MS,
  );

  it('does not open an embedded database a server holds, and reports it reachable', async () => {
    const lock = acquireEmbeddedLock(dataDir);
    try {
      const run = await check(cliEnv({ DATA_DIR: dataDir }));
      expect(run.code).toBe(0);
      expect(run.out).toContain(
        `database: embedded database in ${dataDir}: held by the running server (pid ${process.pid} on ${os.hostname()})`,
      );
      expect(run.out).toContain('ADMIN_TOKEN: not set');
    } finally {
      lock.release();
    }
  });

  it('names the variables missing for providers that are not configured, and warns without PUBLIC_BASE_URL', async () => {
    const {
      PUBLIC_BASE_URL: _p,
      TWILIO_AUTH_TOKEN: _t,
      RESEND_WEBHOOK_SECRET: _r,
      ...env
    } = cliEnv({ HOST: '127.0.0.1', PORT: '4000' });
    const run = await check(env);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/ twilio +not configured: set TWILIO_AUTH_TOKEN\n/);
    expect(run.out).toMatch(/ resend +not configured: set RESEND_WEBHOOK_SECRET\n/);
    expect(run.out).toContain('configured; paste into its dashboard: http://127.0.0.1:4000/webhooks/jobber');
    expect(run.out).toContain('PUBLIC_BASE_URL: not set');
    expect(run.out).toContain('warning: twilio needs PUBLIC_BASE_URL');
  });

  it('exits 78 on invalid configuration, naming the variable and never its value', async () => {
    const run = await check(cliEnv({ ADMIN_TOKEN: 'short-admin-token-xyz', RESEND_WEBHOOK_SECRET: 'not-a-whsec' }));
    expect(run.code).toBe(78);
    expect(run.out).toMatch(/ADMIN_TOKEN: must be at least 32 characters/);
    expect(run.out).toMatch(/RESEND_WEBHOOK_SECRET: secret #1 must start with whsec_/);
    expect(run.out + run.err).not.toContain('not-a-whsec');
    expect(run.out + run.err).not.toContain('short-admin-token-xyz');
  });

  it.each([
    ['one repeated character', 'a'.repeat(32)],
    ['a short phrase repeated', 'hookport'.repeat(4)],
  ])('exits 78 on a trivially guessable ADMIN_TOKEN (%s), never showing it', async (_what, token) => {
    const run = await check(cliEnv({ ADMIN_TOKEN: token }));
    expect(run.code).toBe(78);
    expect(run.out).toContain('ADMIN_TOKEN: must not be trivially guessable: use at least 16 distinct characters');
    expect(run.out + run.err).not.toContain(token);
  });

  it('names each setting of the receivers Hookport replaces that it does not read, and what to set instead', async () => {
    const run = await check(cliEnv({ JOBBER_WEBHOOK_SECRET: 'seed-style-secret', WEBHOOK_TIMEOUT: '30' }));
    expect(run.out).toContain(
      'warning: JOBBER_WEBHOOK_SECRET: Hookport does not read it; set JOBBER_CLIENT_SECRET instead',
    );
    expect(run.out).toContain('warning: WEBHOOK_TIMEOUT: Hookport does not read it; set DELIVERY_TIMEOUT_MS instead');
    expect(run.out + run.err).not.toContain('seed-style-secret');
  });

  it.each(['false', '0'])('exits 78 on VERIFY_WEBHOOK_SIGNATURES=%s: nothing is ever unverified', async (value) => {
    const run = await check(cliEnv({ VERIFY_WEBHOOK_SIGNATURES: value }));
    expect(run.code).toBe(78);
    expect(run.out).toContain('VERIFY_WEBHOOK_SIGNATURES: Hookport never accepts an unverified webhook');
  });

  it('exits 78 when no provider is configured', async () => {
    const run = await check({ DATA_DIR: 'memory://' });
    expect(run.code).toBe(78);
    expect(run.out).toContain('no provider is configured');
  });

  it('exits 78 when PostgreSQL does not answer, without printing the password', async () => {
    const run = await check(cliEnv({ DATABASE_URL: `postgres://hookport:${DB_PASSWORD}@127.0.0.1:9/hookport` }));
    expect(run.code).toBe(78);
    expect(run.out).toMatch(/database: PostgreSQL does not answer: /);
  });

  const withPostgres = postgresServerUrl() ? it : it.skip;
  withPostgres('exits 0 when PostgreSQL answers', async () => {
    const pg = await createPostgresDatabase();
    try {
      const run = await check(cliEnv({ DATABASE_URL: pg.url }));
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/database: PostgreSQL answers \(\d+ ms\)\n/);
    } finally {
      await pg.drop();
    }
  });
});

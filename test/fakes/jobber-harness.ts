import { sql, type SQL } from 'drizzle-orm';
import { storeConnection } from '../../providers/jobber/oauth/tokens';
import {
  OPEN_TIMEOUT_MS,
  openHarness,
  TEST_SECRETS,
  type DatabaseKind,
  type Harness,
  type HarnessOptions,
} from '../helpers/harness';
import { FakeJobber, type FakeTokens } from './jobber';

export interface JobberHarness {
  h: Harness;
  fake: FakeJobber;
  close(): Promise<void>;
}

/** A harness on a fresh database, with Hookport's Jobber settings pointing at a fresh fake Jobber. */
export async function openJobberHarness(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<JobberHarness> {
  const fake = await new FakeJobber(TEST_SECRETS.jobberClientSecret).start();
  let h: Harness;
  try {
    h = await openHarness(kind, { ...fake.env(), ...env }, options);
  } catch (err) {
    await fake.stop();
    throw err;
  }
  return {
    h,
    fake,
    close: async () => {
      await h.close();
      await fake.stop();
    },
  };
}

/** Empties every table the Jobber tests touch and resets the fake, so tests can share one harness. */
export async function resetJobber({ h, fake }: JobberHarness): Promise<void> {
  fake.reset();
  await h.rows(
    sql`truncate webhook_events, canonical_events, clients, jobs, invoices, jobber_accounts, jobber_oauth_states, jobber_sync_runs`,
  );
}

/**
 * Stores tokens the fake issued, as the OAuth callback would (the callback itself is tested in
 * jobber-oauth.test.ts). `storedExpiry` is what Hookport believes; the fake knows the truth.
 */
export async function connectAccount(
  { h, fake }: JobberHarness,
  options: { expiresInSec?: number; storedExpiry?: Date | null } = {},
): Promise<FakeTokens> {
  const tokens = fake.issueTokens(options.expiresInSec ?? 3600);
  const expiresAt = options.storedExpiry !== undefined ? options.storedExpiry : new Date(Date.now() + 3600_000);
  await storeConnection(h.config, h.runtime.database.db, fake.account.id, fake.account.name, { ...tokens, expiresAt });
  return tokens;
}

/** Timestamps come back from raw SQL as text on one driver and Date on the other: both become Dates. */
export async function datedRows(h: Harness, query: SQL): Promise<Record<string, unknown>[]> {
  const rows = await h.rows<Record<string, unknown>>(query);
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        /(_at|_date)$/.test(key) && (typeof value === 'string' || value instanceof Date) ? new Date(value) : value,
      ]),
    ),
  );
}

/**
 * One Jobber harness for a describe block: opened before its tests, closed after, emptied (and,
 * with `connected`, an account connected) before each test. Use its fields inside tests.
 */
export function jobberSuite(
  kind: DatabaseKind,
  { connected = false, env = {} as Record<string, string> } = {},
): JobberHarness {
  let opened: JobberHarness | undefined;
  const current = () => {
    if (!opened) throw new Error('the Jobber harness is not open yet: use it inside a test or hook');
    return opened;
  };
  beforeAll(async () => {
    opened = await openJobberHarness(kind, env);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => opened?.close());
  beforeEach(async () => {
    await resetJobber(current());
    if (connected) await connectAccount(current());
  });
  return {
    get h() {
      return current().h;
    },
    get fake() {
      return current().fake;
    },
    close: () => current().close(),
  };
}

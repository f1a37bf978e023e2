import { sql, type SQL } from 'drizzle-orm';
import { type Db, type Executor, queryRows } from '../../../src/provider';
import { jobberSyncRuns, type JobberRunKind } from '../records/tables';

export type JobberRun = typeof jobberSyncRuns.$inferSelect;

/** What one page added to a run: counts, and where the next page starts. */
export interface PageProgress {
  family: string;
  cursor: string | null;
  fetched: number;
  changed: number;
  unchanged: number;
  failed: number;
  /** Records of `family` fetched by the run so far, and Jobber's totalCount. */
  familyFetched: number;
  familyTotal: number | null;
}

/** A reconciliation looks back this much further than the last pass began: clocks and commits skew. */
export const RECONCILE_OVERLAP_MS = 5 * 60_000;
/** Failed attempts of a run before it is left `failed` (an operator starts it again). */
export const MAX_RUN_ATTEMPTS = 8;

const r = jobberSyncRuns;

/**
 * Queues an import of the account, or finds the one already queued or running (the partial
 * unique index admits one of each kind per account). Returns the run's id.
 */
export async function queueImport(db: Executor, accountId: string): Promise<{ id: string; queued: boolean }> {
  const [inserted] = await db
    .insert(r)
    .values({ accountId, kind: 'import', status: 'queued' })
    .onConflictDoNothing({ target: [r.accountId, r.kind], where: sql`status in ('queued', 'running')` })
    .returning({ id: r.id });
  if (inserted) return { id: inserted.id, queued: true };
  const [active] = await queryRows<{ id: string }>(
    db,
    sql`select id from jobber_sync_runs where account_id = ${accountId} and kind = 'import' and status in ('queued', 'running')`,
  );
  if (!active) return queueImport(db, accountId); // it finished in between
  return { id: active.id, queued: false };
}

/** What asking for an import of an account came to. */
export type ImportRequest =
  { outcome: 'queued' | 'under_way'; id: string } | { outcome: 'not_found' } | { outcome: 'not_connected' };

/** An operator asks for an import (admin API, console): only of an account that has a token. */
export async function requestImport(db: Executor, accountId: string): Promise<ImportRequest> {
  const [account] = await queryRows<{ connected: boolean }>(
    db,
    sql`select access_token is not null as connected from jobber_accounts where account_id = ${accountId}`,
  );
  if (!account) return { outcome: 'not_found' };
  if (!account.connected) return { outcome: 'not_connected' };
  const { id, queued } = await queueImport(db, accountId);
  return { outcome: queued ? 'queued' : 'under_way', id };
}

/**
 * Queues what every connected account is due, once `intervalMs` has passed since its last run
 * ended (done or failed): an import when none has ever finished, else a reconciliation of what
 * changed since the last finished one began. Nothing for an account with a run queued or running. Idempotent across
 * processes (the unique index). Returns how many runs it queued.
 */
export async function queueDueRuns(db: Db, intervalMs: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with connected as (
        select account_id from jobber_accounts where access_token is not null and connection_state = 'connected'
      ), last_done as (
        select distinct on (account_id) account_id, started_at
        from jobber_sync_runs where status = 'done' order by account_id, finished_at desc
      ), last_ended as (
        select account_id, max(finished_at) as finished_at from jobber_sync_runs where status in ('done', 'failed') group by account_id
      ), due as (
        select c.account_id, case when d.account_id is null then 'import' else 'reconcile' end as kind,
          d.started_at - make_interval(secs => ${RECONCILE_OVERLAP_MS / 1000}) as since
        from connected c left join last_done d using (account_id) left join last_ended e using (account_id)
        where (e.finished_at is null or e.finished_at <= now() - make_interval(secs => ${intervalMs / 1000}))
          and not exists (select 1 from jobber_sync_runs a where a.account_id = c.account_id and a.status in ('queued', 'running'))
      )
      insert into jobber_sync_runs (account_id, kind, status, since)
      select account_id, kind, 'queued', case when kind = 'reconcile' then since end from due
      on conflict (account_id, kind) where status in ('queued', 'running') do nothing
      returning id`,
  );
  return rows.length;
}

/**
 * Takes the oldest run that is due (queued, or running under an expired lease: its holder died),
 * for an account no other live run is working on. The lease is renewed with every page.
 */
export async function claimRun(db: Db, leaseMs: number): Promise<JobberRun | undefined> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`update jobber_sync_runs set status = 'running', lease_until = now() + make_interval(secs => ${leaseMs / 1000}),
        holder = gen_random_uuid(), started_at = coalesce(started_at, now()), updated_at = now()
      where id = (
        select id from jobber_sync_runs c
        where (c.status = 'queued' or (c.status = 'running' and c.lease_until < now())) and c.next_attempt_at <= now()
          and not exists (select 1 from jobber_sync_runs o where o.account_id = c.account_id and o.id <> c.id
            and o.status = 'running' and o.lease_until >= now())
        order by c.created_at limit 1 for update skip locked
      )
      returning id`,
  );
  if (!row) return undefined;
  return runById(db, row.id);
}

export async function runById(db: Executor, id: string): Promise<JobberRun | undefined> {
  const [run] = await db
    .select()
    .from(r)
    .where(sql`${r.id} = ${id}`);
  return run;
}

/** The run no longer belongs to this holder (its lease ran out and another took it): stop without writing. */
export class LostLeaseError extends Error {
  override name = 'LostLeaseError';
  constructor() {
    super('the run was taken over by another process (its lease ran out)');
  }
}

/** A run as its holder knows it: its id and the holder token of the claim. */
export type Held = Pick<JobberRun, 'id' | 'holder'>;
const held = (run: Held) => sql`id = ${run.id} and holder = ${run.holder} and status = 'running'`;

/** Runs an update of the run that only its holder may make; throws LostLeaseError when it is not the holder. */
async function asHolder(db: Executor, query: SQL): Promise<void> {
  const rows = await queryRows<{ id: string }>(db, sql`${query} returning id`);
  if (rows.length === 0) throw new LostLeaseError();
}

/**
 * One page applied: counts added, the cursor moved, the lease renewed. In the page's transaction,
 * so a holder that lost the lease writes neither the page nor the cursor.
 */
export async function recordPage(tx: Executor, run: Held, page: PageProgress, leaseMs: number): Promise<void> {
  await asHolder(
    tx,
    sql`update jobber_sync_runs set
      family = ${page.family}, cursor = ${page.cursor},
      fetched = fetched + ${page.fetched}, changed = changed + ${page.changed},
      unchanged = unchanged + ${page.unchanged}, failed = failed + ${page.failed},
      progress = progress || jsonb_build_object(${page.family}::text,
        jsonb_build_object('fetched', ${page.familyFetched}::int, 'total', ${page.familyTotal}::int)),
      pages = pages + 1, attempts = 0, last_error = null,
      lease_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
    where ${held(run)}`,
  );
}

/** Waits for Jobber's bucket, and throttles it still answered: the pacing, for the operator. */
export async function recordWait(
  db: Executor,
  run: Held,
  waitedMs: number,
  throttled: boolean,
  leaseMs: number,
): Promise<void> {
  await asHolder(
    db,
    sql`update jobber_sync_runs set waits = waits + 1, waited_ms = waited_ms + ${Math.round(waitedMs)},
      throttled = throttled + ${throttled ? 1 : 0},
      lease_until = greatest(lease_until, now() + make_interval(secs => ${(leaseMs + waitedMs) / 1000})), updated_at = now()
    where ${held(run)}`,
  );
}

/** The run is done; `extra` adds what its last step (the rows awaiting sync) changed and failed. */
export async function finishRun(db: Executor, run: Held, extra = { changed: 0, failed: 0 }): Promise<void> {
  await asHolder(
    db,
    sql`update jobber_sync_runs set status = 'done', finished_at = now(), lease_until = null,
      changed = changed + ${extra.changed}, failed = failed + ${extra.failed},
      last_error = null, updated_at = now() where ${held(run)}`,
  );
}

/**
 * An attempt failed: the run waits `retryInMs` and resumes from its cursor, or after
 * MAX_RUN_ATTEMPTS (or when `final`: nothing can come of retrying) it is left `failed`.
 */
export async function failAttempt(
  db: Executor,
  run: Held,
  error: string,
  retryInMs: number,
  final = false,
): Promise<void> {
  await asHolder(
    db,
    sql`update jobber_sync_runs set attempts = attempts + 1, last_error = ${error.slice(0, 1000)},
      status = case when ${final} or attempts + 1 >= ${MAX_RUN_ATTEMPTS} then 'failed' else 'queued' end,
      finished_at = case when ${final} or attempts + 1 >= ${MAX_RUN_ATTEMPTS} then now() end,
      next_attempt_at = now() + make_interval(secs => ${retryInMs / 1000}), lease_until = null, updated_at = now()
    where ${held(run)}`,
  );
}

/** A stopping process hands its run back at once, so the next one resumes it without waiting out the lease. */
export async function releaseRun(db: Executor, run: Held): Promise<void> {
  await db.execute(
    sql`update jobber_sync_runs set status = 'queued', lease_until = null, updated_at = now() where ${held(run)}`,
  );
}

/** The latest runs, newest first: of one account, or of all. */
export async function latestRuns(
  db: Executor,
  options: { accountId?: string; kind?: JobberRunKind; limit: number },
): Promise<JobberRun[]> {
  return db
    .select()
    .from(r)
    .where(
      sql`true ${options.accountId ? sql`and ${r.accountId} = ${options.accountId}` : sql``} ${options.kind ? sql`and ${r.kind} = ${options.kind}` : sql``}`,
    )
    .orderBy(sql`${r.createdAt} desc, ${r.id} desc`)
    .limit(options.limit);
}

/** Each account's latest pass of each kind (an account of months has hundreds of passes: this reads two rows each). */
export async function lastRunsOfAccounts(
  db: Db,
): Promise<(accountId: string, kind: JobberRunKind) => JobberRun | undefined> {
  const rows = await db
    .selectDistinctOn([r.accountId, r.kind])
    .from(r)
    .orderBy(r.accountId, r.kind, sql`${r.createdAt} desc`, sql`${r.id} desc`);
  return (accountId, kind) => rows.find((run) => run.accountId === accountId && run.kind === kind);
}

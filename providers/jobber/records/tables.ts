import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, recordKey, ts, updatedAt } from '../../../src/provider';

export type JobberSyncStatus = 'synced' | 'awaiting_sync' | 'not_found';
export type JobberConnectionState = 'connected' | 'disconnected';

/**
 * Columns every Jobber record table shares. `source_occurred_at` is the time of the webhook event
 * that last wrote the row: an older event never overwrites it. `sync_status` says whether the row
 * holds Jobber's data (`synced`) or only the ids from the webhook (`awaiting_sync`: no token yet).
 */
const jobberRecord = () => ({
  ...recordKey(),
  accountId: text('account_id').notNull(),
  sourceOccurredAt: ts('source_occurred_at').notNull(),
  /** The webhook event that last wrote the row; `hookport jobber sync` attributes its events to it. */
  lastEventId: uuid('last_event_id'),
  lastTopic: text('last_topic'),
  syncStatus: text('sync_status').$type<JobberSyncStatus>().notNull(),
  syncedAt: ts('synced_at'),
  /** Jobber's own updatedAt of the record as last fetched. */
  jobberUpdatedAt: ts('jobber_updated_at'),
  deletedAt: ts('deleted_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export interface JobberEmail {
  address: string | null;
  description: string | null;
  primary: boolean | null;
}
export interface JobberPhone {
  number: string | null;
  description: string | null;
  primary: boolean | null;
  smsAllowed: boolean | null;
}
export interface JobberAddress {
  street1: string | null;
  street2: string | null;
  city: string | null;
  province: string | null;
  postalCode: string | null;
  country: string | null;
}

export const clients = pgTable(
  'clients',
  {
    ...jobberRecord(),
    name: text('name'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    companyName: text('company_name'),
    emails: jsonb('emails').$type<JobberEmail[]>(),
    phones: jsonb('phones').$type<JobberPhone[]>(),
    billingAddress: jsonb('billing_address').$type<JobberAddress>(),
    isLead: boolean('is_lead'),
    isArchived: boolean('is_archived'),
  },
  (t) => [
    uniqueIndex('clients_provider_external_id_uq').on(t.provider, t.externalId),
    index('clients_account_sync_idx').on(t.accountId, t.syncStatus),
    // Case-insensitive prefix searches (Slack's /jobber client): `lower(col) like 'dana%'`, any collation.
    index('clients_name_prefix_idx').on(sql`lower(${t.name}) text_pattern_ops`),
    index('clients_last_name_prefix_idx').on(sql`lower(${t.lastName}) text_pattern_ops`),
    index('clients_company_name_prefix_idx').on(sql`lower(${t.companyName}) text_pattern_ops`),
  ],
);

export const jobs = pgTable(
  'jobs',
  {
    ...jobberRecord(),
    jobNumber: integer('job_number'),
    title: text('title'),
    status: text('status'),
    clientExternalId: text('client_external_id'),
    total: doublePrecision('total'),
    startAt: ts('start_at'),
    endAt: ts('end_at'),
    completedAt: ts('completed_at'),
  },
  (t) => [
    uniqueIndex('jobs_provider_external_id_uq').on(t.provider, t.externalId),
    index('jobs_account_sync_idx').on(t.accountId, t.syncStatus),
    // A client's jobs (its open jobs in a search answer, the Jobs button).
    index('jobs_client_external_id_idx').on(t.clientExternalId),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    ...jobberRecord(),
    invoiceNumber: text('invoice_number'),
    subject: text('subject'),
    status: text('status'),
    clientExternalId: text('client_external_id'),
    jobExternalIds: jsonb('job_external_ids').$type<string[]>(),
    total: doublePrecision('total'),
    amountDue: doublePrecision('amount_due'),
    amountPaid: doublePrecision('amount_paid'),
    issuedDate: ts('issued_date'),
    dueDate: ts('due_date'),
    receivedDate: ts('received_date'),
    /** Set when `invoice.paid` was emitted for the current paid spell; cleared when it leaves paid. */
    paidNotifiedAt: ts('paid_notified_at'),
  },
  (t) => [
    uniqueIndex('invoices_provider_external_id_uq').on(t.provider, t.externalId),
    index('invoices_account_sync_idx').on(t.accountId, t.syncStatus),
    // A client's invoices (its unpaid balance in a search answer, the Invoices button).
    index('invoices_client_external_id_idx').on(t.clientExternalId),
  ],
);

/** One row per Jobber account: its connection state and OAuth tokens (never logged). */
export const jobberAccounts = pgTable('jobber_accounts', {
  accountId: text('account_id').primaryKey(),
  name: text('name'),
  connectionState: text('connection_state').$type<JobberConnectionState>().notNull(),
  /** Time of the fact that set the state (webhook occurredAt, or the OAuth callback): older facts lose. */
  stateAt: ts('state_at').notNull(),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  tokenExpiresAt: ts('token_expires_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Pending OAuth `state` values, stored as SHA-256 hashes; each is used once and expires. */
export const jobberOauthStates = pgTable(
  'jobber_oauth_states',
  {
    stateHash: text('state_hash').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  // Expired states are deleted by expiry on every connect: without an index, a scan of them all.
  (t) => [index('jobber_oauth_states_expires_at_idx').on(t.expiresAt)],
);

export type JobberRunKind = 'import' | 'reconcile';
export type JobberRunStatus = 'queued' | 'running' | 'done' | 'failed';
/** Per record family: records fetched so far, and Jobber's totalCount when it gave one. */
export type JobberRunProgress = Partial<
  Record<'client' | 'job' | 'invoice', { fetched: number; total: number | null }>
>;

/**
 * One import (every client, job and invoice of an account) or reconciliation (what changed since
 * `since`) of a Jobber account, paged through the GraphQL API. Each page's rows and the run's
 * cursor are written in one transaction, so a run resumes after a restart from the page it was
 * on. Whoever holds the lease runs it; a crashed holder's run is taken again when it expires.
 */
export const jobberSyncRuns = pgTable(
  'jobber_sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: text('account_id').notNull(),
    kind: text('kind').$type<JobberRunKind>().notNull(),
    status: text('status').$type<JobberRunStatus>().notNull(),
    /** Reconciliation: records updated after this time; null for an import (everything). */
    since: ts('since'),
    /** The family being paged, and the cursor after its last applied page. */
    family: text('family'),
    cursor: text('cursor'),
    fetched: integer('fetched').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    progress: jsonb('progress').$type<JobberRunProgress>().notNull().default({}),
    pages: integer('pages').notNull().default(0),
    /** How often the run waited for Jobber's cost bucket, how long in all, and how often Jobber still throttled. */
    waits: integer('waits').notNull().default(0),
    waitedMs: integer('waited_ms').notNull().default(0),
    throttled: integer('throttled').notNull().default(0),
    /** Consecutive failed attempts; the run is retried with backoff, then `failed`. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    leaseUntil: ts('lease_until'),
    /** Who holds the lease (new at each claim): a holder that lost it can no longer write the run. */
    holder: uuid('holder'),
    lastError: text('last_error'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One queued or running run of each kind per account: asking again while one is active finds it.
    uniqueIndex('jobber_sync_runs_active_uq')
      .on(t.accountId, t.kind)
      .where(sql`status in ('queued', 'running')`),
    index('jobber_sync_runs_account_created_idx').on(t.accountId, t.createdAt),
  ],
);

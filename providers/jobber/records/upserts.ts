import { and, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import {
  type Applied,
  type ApplyContext,
  type CanonicalEventRow,
  compileUpsert,
  eventBody,
  type Executor,
  insertCanonicalEvents,
  keepUnlessGiven,
  refs,
  snapshotOf,
  type UpsertSpec,
  withoutKind,
  withoutReceipts,
} from '../../../src/provider';
import type { JobberClientChange, JobberInvoiceChange, JobberJobChange } from './changes';
import { clients, invoices, jobs } from './tables';
import { clientView, invoiceView, jobView } from './views';

type JobberTable = typeof clients | typeof jobs | typeof invoices;

const { excluded, current } = refs;

/**
 * The conflict clause every Jobber record shares: the row only changes when the incoming event is
 * not older than the one that last wrote it (stripe-sync-engine's guard), enrichment columns keep
 * their values when the event brought none (no token yet), and `deleted_at` once set stays set.
 */
function jobberConflict(
  table: JobberTable,
  enriched: Record<string, PgColumn>,
  extra: Record<string, SQL> = {},
): UpsertSpec {
  return {
    target: [table.provider, table.externalId],
    set: {
      ...keepUnlessGiven(table, {
        ...enriched,
        syncedAt: table.syncedAt,
        jobberUpdatedAt: table.jobberUpdatedAt,
        deletedAt: table.deletedAt,
        lastEventId: table.lastEventId,
      }),
      accountId: sql`${excluded(table.accountId)}`,
      sourceOccurredAt: sql`${excluded(table.sourceOccurredAt)}`,
      lastTopic: sql`${excluded(table.lastTopic)}`,
      // A destroy says nothing about whether the row's data is complete: it keeps its sync status.
      syncStatus: sql`case when ${excluded(table.deletedAt)} is null
        then ${excluded(table.syncStatus)} else ${current(table, table.syncStatus)} end`,
      ...extra,
      updatedAt: sql`now()`,
    },
    setWhere: sql`${current(table, table.sourceOccurredAt)} <= ${excluded(table.sourceOccurredAt)}`,
  };
}

const c = clients;
const upsertClient = compileUpsert(
  clients,
  jobberConflict(c, {
    name: c.name,
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    emails: c.emails,
    phones: c.phones,
    billingAddress: c.billingAddress,
    isLead: c.isLead,
    isArchived: c.isArchived,
  }),
);

const j = jobs;
const upsertJob = compileUpsert(
  jobs,
  jobberConflict(j, {
    jobNumber: j.jobNumber,
    title: j.title,
    status: j.status,
    clientExternalId: j.clientExternalId,
    total: j.total,
    startAt: j.startAt,
    endAt: j.endAt,
    completedAt: j.completedAt,
  }),
);

const i = invoices;
const upsertInvoice = compileUpsert(
  invoices,
  jobberConflict(
    i,
    {
      invoiceNumber: i.invoiceNumber,
      subject: i.subject,
      status: i.status,
      clientExternalId: i.clientExternalId,
      jobExternalIds: i.jobExternalIds,
      total: i.total,
      amountDue: i.amountDue,
      amountPaid: i.amountPaid,
      issuedDate: i.issuedDate,
      dueDate: i.dueDate,
      receivedDate: i.receivedDate,
    },
    {
      paidNotifiedAt: sql`case when ${excluded(i.status)} is distinct from 'paid' and ${excluded(i.status)} is not null
        then null else ${current(i, i.paidNotifiedAt)} end`,
    },
  ),
);

/** Inserts the clients' rows, or updates them under the shared guard. */
export async function upsertJobberClients(tx: Executor, changes: readonly JobberClientChange[]): Promise<Applied> {
  const written = await upsertClient(tx, withoutKind(changes));
  return { snapshots: written.map((w) => snapshotOf(clientView, w)) };
}

/** Inserts the jobs' rows, or updates them under the shared guard. */
export async function upsertJobberJobs(tx: Executor, changes: readonly JobberJobChange[]): Promise<Applied> {
  const written = await upsertJob(tx, withoutKind(changes));
  return { snapshots: written.map((w) => snapshotOf(jobView, w)) };
}

/**
 * The paying client's name, read in the paid UPDATE itself so Slack never reads it at send time.
 * Qualified by hand: Drizzle may leave a returning's columns unqualified, and inside the subquery
 * those would name the client's own.
 */
const clientName = sql<
  string | null
>`(select c.name from clients c where c.provider = invoices.provider and c.external_id = invoices.client_external_id)`;

/**
 * Upserts the invoices, then emits `invoice.paid` for each that has just become paid. The claim is
 * one conditional UPDATE of `paid_notified_at`: concurrent workers serialize on the row lock and
 * only the first sees it unset, so each paid spell yields one event. Leaving `paid` clears the mark.
 * The event's object is the row that UPDATE returns; its previous, what the upsert changed.
 */
export async function upsertJobberInvoices(
  tx: Executor,
  changes: readonly JobberInvoiceChange[],
  context: ApplyContext = withoutReceipts,
): Promise<Applied> {
  if (changes.length === 0) return { snapshots: [] };
  const written = await upsertInvoice(tx, withoutKind(changes));
  const snapshots = written.map((w) => snapshotOf(invoiceView, w));
  const keyOf = (provider: string, externalId: string) => `${provider}\u0000${externalId}`;
  const snapshotByKey = new Map(changes.map((c, n) => [keyOf(c.provider, c.externalId), snapshots[n]]));
  const keys = changes.map((c) => sql`(${c.provider}, ${c.externalId})`);
  const paid = await tx
    .update(invoices)
    .set({ paidNotifiedAt: sql`now()` })
    .where(
      and(
        sql`(${i.provider}, ${i.externalId}) in (${sql.join(keys, sql`, `)})`,
        eq(i.status, 'paid'),
        isNull(i.paidNotifiedAt),
      ),
    )
    .returning({ ...getTableColumns(invoices), clientName });
  const rows = paid.flatMap(({ clientName: name, ...row }): CanonicalEventRow[] => {
    const key = keyOf(row.provider, row.externalId);
    if (!row.lastEventId || !snapshotByKey.has(key)) return [];
    const occurredAt = row.sourceOccurredAt;
    const data = { accountId: row.accountId, invoiceNumber: row.invoiceNumber, total: row.total, clientName: name };
    const body = eventBody({
      type: 'invoice.paid',
      at: occurredAt,
      object: invoiceView.fromSelect(row),
      previous: snapshotByKey.get(key)?.previous,
      source: context.sourceOf(row.lastEventId, row.provider),
      fields: data,
    });
    return [
      {
        webhookEventId: row.lastEventId,
        provider: row.provider,
        type: 'invoice.paid',
        recordKind: 'invoice',
        externalId: row.externalId,
        occurredAt,
        data,
        body,
      },
    ];
  });
  return { snapshots, deliveries: await insertCanonicalEvents(tx, rows) };
}

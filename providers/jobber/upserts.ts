import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../src/db/client';
import { insertCanonicalEvents } from '../../src/records/canonical';
import { compileUpsert, withoutKind, type UpsertSpec } from '../../src/records/compiled-upsert';
import { keepUnlessGiven, refs } from '../../src/records/sql';
import type { JobberClientChange, JobberInvoiceChange, JobberJobChange } from './changes';
import { clients, invoices, jobs } from './tables';

type JobberTable = typeof clients | typeof jobs | typeof invoices;

const { excluded, current } = refs;

/**
 * The conflict clause every Jobber record shares: the row only changes when the incoming event is
 * not older than the one that last wrote it (stripe-sync-engine's guard), enrichment columns keep
 * their values when the event brought none (no token yet), and `deleted_at` once set stays set.
 */
function jobberConflict(table: JobberTable, enriched: Record<string, PgColumn>, extra: Record<string, SQL> = {}): UpsertSpec {
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
export async function upsertJobberClients(tx: Executor, changes: readonly JobberClientChange[]): Promise<void> {
  await upsertClient(tx, withoutKind(changes));
}

/** Inserts the jobs' rows, or updates them under the shared guard. */
export async function upsertJobberJobs(tx: Executor, changes: readonly JobberJobChange[]): Promise<void> {
  await upsertJob(tx, withoutKind(changes));
}

/**
 * Upserts the invoices, then emits `invoice.paid` for each that has just become paid. The claim is
 * one conditional UPDATE of `paid_notified_at`: concurrent workers serialize on the row lock and
 * only the first sees it unset, so each paid spell yields one event. Leaving `paid` clears the mark.
 */
export async function upsertJobberInvoices(tx: Executor, changes: readonly JobberInvoiceChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  await upsertInvoice(tx, withoutKind(changes));
  const byKey = new Map(changes.map((c) => [`${c.provider}\u0000${c.externalId}`, c]));
  const keys = changes.map((c) => sql`(${c.provider}, ${c.externalId})`);
  const paid = await tx
    .update(invoices)
    .set({ paidNotifiedAt: sql`now()` })
    .where(and(sql`(${i.provider}, ${i.externalId}) in (${sql.join(keys, sql`, `)})`, eq(i.status, 'paid'), isNull(i.paidNotifiedAt)))
    .returning({
      provider: i.provider,
      externalId: i.externalId,
      invoiceNumber: i.invoiceNumber,
      total: i.total,
      lastEventId: i.lastEventId,
      accountId: i.accountId,
    });
  const rows = paid.flatMap((row) => {
    const change = byKey.get(`${row.provider}\u0000${row.externalId}`);
    if (!row.lastEventId || !change) return [];
    return [
      {
        webhookEventId: row.lastEventId,
        provider: row.provider,
        type: 'invoice.paid',
        recordKind: 'invoice',
        externalId: row.externalId,
        occurredAt: change.sourceOccurredAt,
        data: { accountId: row.accountId, invoiceNumber: row.invoiceNumber, total: row.total },
      },
    ];
  });
  return insertCanonicalEvents(tx, rows);
}

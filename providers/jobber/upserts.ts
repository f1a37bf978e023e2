import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Transaction } from '../../src/db/client';
import { insertCanonicalEvents } from '../../src/records/canonical';
import { keepUnlessGiven, refs } from '../../src/records/sql';
import type { JobberClientChange, JobberInvoiceChange, JobberJobChange } from './changes';
import { clients, invoices, jobs } from './tables';

type JobberTable = typeof clients | typeof jobs | typeof invoices;
type Writer = Pick<Transaction, 'insert' | 'update' | 'execute'>;

const { excluded, current } = refs;

/**
 * The conflict clause every Jobber record shares: the row only changes when the incoming event is
 * not older than the one that last wrote it (stripe-sync-engine's guard), enrichment columns keep
 * their values when the event brought none (no token yet), and `deleted_at` once set stays set.
 */
function jobberConflict(table: JobberTable, enriched: Record<string, PgColumn>, extra: Record<string, SQL> = {}) {
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

/** Inserts the change's row, or updates it under the shared guard. */
async function upsertInto(
  tx: Writer,
  table: JobberTable,
  change: JobberClientChange | JobberJobChange | JobberInvoiceChange,
  enriched: Record<string, PgColumn>,
  extra: Record<string, SQL> = {},
): Promise<void> {
  const { kind: _kind, ...values } = change;
  // The three tables share the columns the conflict clause names; the values match the table by kind.
  await tx
    .insert(table)
    .values(values as typeof table.$inferInsert)
    .onConflictDoUpdate(jobberConflict(table, enriched, extra));
}

export function upsertJobberClient(tx: Writer, change: JobberClientChange): Promise<void> {
  const c = clients;
  return upsertInto(tx, c, change, {
    name: c.name,
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    emails: c.emails,
    phones: c.phones,
    billingAddress: c.billingAddress,
    isLead: c.isLead,
    isArchived: c.isArchived,
  });
}

export function upsertJobberJob(tx: Writer, change: JobberJobChange): Promise<void> {
  const j = jobs;
  return upsertInto(tx, j, change, {
    jobNumber: j.jobNumber,
    title: j.title,
    status: j.status,
    clientExternalId: j.clientExternalId,
    total: j.total,
    startAt: j.startAt,
    endAt: j.endAt,
    completedAt: j.completedAt,
  });
}

/**
 * Upserts the invoice, then emits `invoice.paid` when it has just become paid. The claim is one
 * conditional UPDATE of `paid_notified_at`: concurrent workers serialize on the row lock and only
 * the first sees it unset, so each paid spell yields one event. Leaving `paid` clears the mark.
 */
export async function upsertJobberInvoice(tx: Writer, change: JobberInvoiceChange): Promise<void> {
  const i = invoices;
  await upsertInto(
    tx,
    i,
    change,
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
  );
  const paid = await tx
    .update(invoices)
    .set({ paidNotifiedAt: sql`now()` })
    .where(
      and(eq(i.provider, change.provider), eq(i.externalId, change.externalId), eq(i.status, 'paid'), isNull(i.paidNotifiedAt)),
    )
    .returning({ invoiceNumber: i.invoiceNumber, total: i.total, lastEventId: i.lastEventId, accountId: i.accountId });
  const row = paid[0];
  if (!row?.lastEventId) return;
  await insertCanonicalEvents(tx, [
    {
      webhookEventId: row.lastEventId,
      provider: change.provider,
      type: 'invoice.paid',
      recordKind: 'invoice',
      externalId: change.externalId,
      occurredAt: change.sourceOccurredAt,
      data: { accountId: row.accountId, invoiceNumber: row.invoiceNumber, total: row.total },
    },
  ]);
}

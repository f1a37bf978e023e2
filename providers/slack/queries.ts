import { sql, type SQL } from 'drizzle-orm';
import { type Executor, queryRows } from '../../src/provider';

/**
 * What the answers read, by table and column name: the tables are other providers' (clients, jobs
 * and invoices are Jobber's, leads Thumbtack's), and a provider does not import another.
 */

export interface ClientRow {
  external_id: string;
  name: string | null;
  company_name: string | null;
  email: string | null;
  phone: string | null;
  is_archived: boolean | null;
  open_jobs: number;
  unpaid: number;
  unpaid_count: number;
}
export interface JobRow {
  external_id: string;
  job_number: number | null;
  title: string | null;
  status: string | null;
  client_external_id: string | null;
  client_name: string | null;
  start_at: Date | string | null;
  total: number | null;
}
export interface InvoiceRow {
  external_id: string;
  invoice_number: string | null;
  subject: string | null;
  status: string | null;
  client_external_id: string | null;
  client_name: string | null;
  total: number | null;
  amount_due: number | null;
  amount_paid: number | null;
  issued_date: Date | string | null;
  due_date: Date | string | null;
}
export interface LeadRow {
  external_id: string;
  customer_name: string | null;
  customer_phone: string | null;
  category: string | null;
  description: string | null;
  status: string | null;
  lead_price: string | null;
  lead_created_at: Date | string | null;
}
export interface Page<T> {
  rows: T[];
  total: number;
}

/** Statuses of an invoice that still waits for money. */
export const UNPAID_STATUSES = ['awaiting_payment', 'past_due'];
const unpaid = sql`status in ('awaiting_payment', 'past_due')`;
/** A job still to be done: not archived, not completed. */
const openJob = sql`j.deleted_at is null and coalesce(j.status, '') <> 'archived' and j.completed_at is null`;

/** A LIKE pattern that matches `text` literally at the start. */
const prefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How a search text is read: an email (has @), a phone (digits and punctuation), else a name. */
export function clientMatch(text: string): SQL {
  const q = text.trim().toLowerCase();
  if (q.includes('@')) {
    return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(c.emails) = 'array' then c.emails else '[]'::jsonb end) e
      where lower(e->>'address') like ${prefix(q)})`;
  }
  const digits = q.replace(/[\s()+.-]/g, '');
  if (/^[0-9]{3,}$/.test(digits)) {
    return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(c.phones) = 'array' then c.phones else '[]'::jsonb end) p
      where regexp_replace(coalesce(p->>'number', ''), '[^0-9]', '', 'g') like ${`%${digits}%`})`;
  }
  // Each branch has its own prefix index (clients_*_prefix_idx), so the OR is a BitmapOr of three.
  const p = prefix(q);
  return sql`(lower(c.name) like ${p} or lower(c.last_name) like ${p} or lower(c.company_name) like ${p})`;
}

const clientColumns = sql`c.external_id, c.name, c.company_name, c.is_archived,
  (select e->>'address' from jsonb_array_elements(case when jsonb_typeof(c.emails) = 'array' then c.emails else '[]'::jsonb end) e
    order by (e->>'primary')::boolean desc nulls last limit 1) as email,
  (select p->>'number' from jsonb_array_elements(case when jsonb_typeof(c.phones) = 'array' then c.phones else '[]'::jsonb end) p
    order by (p->>'primary')::boolean desc nulls last limit 1) as phone,
  (select count(*)::int from jobs j where j.client_external_id = c.external_id and ${openJob}) as open_jobs,
  (select coalesce(sum(coalesce(i.amount_due, i.total, 0)), 0)::float8 from invoices i
    where i.client_external_id = c.external_id and i.deleted_at is null and i.${unpaid}) as unpaid,
  (select count(*)::int from invoices i
    where i.client_external_id = c.external_id and i.deleted_at is null and i.${unpaid}) as unpaid_count`;

/** Clients matching `text` (deleted ones left out), by name, with how many match in all. */
export async function findClients(db: Executor, text: string, limit: number): Promise<Page<ClientRow>> {
  const rows = await queryRows<ClientRow & { total: number }>(
    db,
    sql`with found as (
      select c.id, c.external_id, c.name, c.company_name, c.is_archived, c.emails, c.phones, count(*) over ()::int as total
      from clients c where c.deleted_at is null and ${clientMatch(text)}
      order by lower(coalesce(c.name, c.company_name, '')), c.id limit ${limit})
    select ${clientColumns}, c.total from found c order by lower(coalesce(c.name, c.company_name, '')), c.id`,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function clientById(db: Executor, externalId: string): Promise<ClientRow | undefined> {
  const [row] = await queryRows<ClientRow>(
    db,
    sql`select ${clientColumns} from clients c where c.external_id = ${externalId} and c.deleted_at is null limit 1`,
  );
  return row;
}

const jobColumns = sql`j.external_id, j.job_number, j.title, j.status, j.client_external_id, j.start_at, j.total,
  (select c.name from clients c where c.external_id = j.client_external_id limit 1) as client_name`;

async function jobPage(db: Executor, where: SQL, limit: number): Promise<Page<JobRow>> {
  const rows = await queryRows<JobRow & { total_count: number }>(
    db,
    sql`select ${jobColumns}, count(*) over ()::int as total_count from jobs j where ${where}
      order by j.start_at nulls last, j.job_number, j.id limit ${limit}`,
  );
  return { rows, total: rows[0]?.total_count ?? 0 };
}

export const openJobs = (db: Executor, limit: number) => jobPage(db, openJob, limit);

/** Jobs that start within [from, to), or that Jobber itself marks as today's, not deleted. */
export const jobsBetween = (db: Executor, from: Date, to: Date, limit: number) =>
  jobPage(
    db,
    sql`j.deleted_at is null and ((j.start_at >= ${from.toISOString()} and j.start_at < ${to.toISOString()}) or j.status = 'today')`,
    limit,
  );

/** The jobs of one client, or of every client a search text matches (at most 50 of them). */
export const jobsOfClient = (db: Executor, externalId: string, limit: number) =>
  jobPage(db, sql`j.deleted_at is null and j.client_external_id = ${externalId}`, limit);
export const jobsOfMatchingClients = (db: Executor, text: string, limit: number) =>
  jobPage(
    db,
    sql`j.deleted_at is null and j.client_external_id in (
      select c.external_id from clients c where c.deleted_at is null and ${clientMatch(text)} limit 50)`,
    limit,
  );

const invoiceColumns = sql`i.external_id, i.invoice_number, i.subject, i.status, i.client_external_id, i.total,
  i.amount_due, i.amount_paid, i.issued_date, i.due_date,
  (select c.name from clients c where c.external_id = i.client_external_id limit 1) as client_name`;

export interface UnpaidPage extends Page<InvoiceRow> {
  /** The sum of what is due over all of them, not only the rows shown. */
  due: number;
}

async function invoicePage(db: Executor, where: SQL, limit: number): Promise<UnpaidPage> {
  const rows = await queryRows<InvoiceRow & { total_count: number; due_sum: number }>(
    db,
    sql`select ${invoiceColumns}, count(*) over ()::int as total_count,
        (sum(coalesce(i.amount_due, i.total, 0)) over ())::float8 as due_sum
      from invoices i where i.deleted_at is null and ${where}
      order by i.due_date nulls last, i.invoice_number, i.id limit ${limit}`,
  );
  return { rows, total: rows[0]?.total_count ?? 0, due: rows[0]?.due_sum ?? 0 };
}

export const unpaidInvoices = (db: Executor, limit: number) => invoicePage(db, sql`i.${unpaid}`, limit);
export const invoicesOfClient = (db: Executor, externalId: string, limit: number) =>
  invoicePage(db, sql`i.client_external_id = ${externalId}`, limit);
export const invoicesByNumber = (db: Executor, number: string, limit: number) =>
  invoicePage(db, sql`i.invoice_number = ${number}`, limit);

export async function invoiceById(db: Executor, externalId: string): Promise<InvoiceRow | undefined> {
  const [row] = await queryRows<InvoiceRow>(
    db,
    sql`select ${invoiceColumns} from invoices i where i.external_id = ${externalId} and i.deleted_at is null limit 1`,
  );
  return row;
}

export async function leadById(db: Executor, externalId: string): Promise<LeadRow | undefined> {
  const [row] = await queryRows<LeadRow>(
    db,
    sql`select external_id, customer_name, customer_phone, category, description, status, lead_price, lead_created_at
      from leads where external_id = ${externalId} limit 1`,
  );
  return row;
}

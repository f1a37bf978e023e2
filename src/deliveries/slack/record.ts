import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { queryRows } from '../../db/rows';
import type { SlackRecordFields } from './render';

/**
 * The record fields a Slack message needs, read at send time from the record tables by
 * (provider, record kind, external id): canonical events carry only ids and a small summary (no
 * names, phone numbers or message text), so what people read comes from the record itself, as it
 * is when the message is sent. Only the columns a message shows are read.
 */
const QUERIES: Record<string, (provider: string, externalId: string) => SQL> = {
  lead: (p, id) => sql`select customer_name as "customerName", category, location, description, lead_created_at as "leadCreatedAt"
    from leads where provider = ${p} and external_id = ${id}`,
  invoice: (p, id) => sql`select i.invoice_number as "invoiceNumber", i.subject, i.total, i.amount_paid as "amountPaid",
      coalesce(nullif(c.company_name, ''), nullif(c.name, ''), nullif(concat_ws(' ', c.first_name, c.last_name), '')) as "clientName"
    from invoices i left join clients c on c.provider = i.provider and c.external_id = i.client_external_id
    where i.provider = ${p} and i.external_id = ${id}`,
  message: (p, id) => sql`select from_address as "fromAddress", sender_name as "senderName", body,
      coalesce(jsonb_array_length(media), 0) as "mediaCount"
    from messages where provider = ${p} and external_id = ${id}`,
  email: (p, id) => sql`select to_addresses as "toAddresses", subject as "emailSubject", from_address as "emailFrom", bounce
    from emails where provider = ${p} and external_id = ${id}`,
};

/** jsonb columns (a driver may hand them back as text) and numeric ones (bigint/double as text). */
const JSON_COLUMNS = new Set(['location', 'bounce', 'toAddresses']);
const NUMBER_COLUMNS = new Set(['mediaCount', 'total', 'amountPaid']);
function column(k: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (JSON_COLUMNS.has(k) && typeof v === 'string') return JSON.parse(v) as unknown;
  if (NUMBER_COLUMNS.has(k)) return Number(v);
  return v;
}

/** The record's fields, or null (no record, an unknown kind, or its row is gone). */
export async function slackRecordFields(
  db: Executor,
  provider: string | null,
  recordKind: string | null,
  externalId: string | null,
): Promise<SlackRecordFields | null> {
  const query = recordKind ? QUERIES[recordKind] : undefined;
  if (!query || !provider || !externalId) return null;
  const [row] = await queryRows<Record<string, unknown>>(db, query(provider, externalId));
  if (!row) return null;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) fields[k] = column(k, v);
  return fields as SlackRecordFields;
}

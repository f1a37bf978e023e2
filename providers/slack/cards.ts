import { SLACK_ACTIONS } from './actions';
import { type Block, button, buttons, escapeMrkdwn as e, money, section } from './blocks';
import type { ClientRow, InvoiceRow, JobRow, LeadRow } from './queries';

/** One block (or two, with its buttons) per row: every value from the tables escaped. */

const day = (value: Date | string | null): string | undefined => {
  if (value === null) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
};
const line = (...parts: (string | undefined | null | false)[]) => parts.filter(Boolean).join(' · ');

export function clientCard(c: ClientRow): Block[] {
  const title = e(c.name ?? c.company_name ?? 'Unnamed client');
  const text = [
    `*${title}*${c.company_name && c.company_name !== c.name ? ` (${e(c.company_name)})` : ''}${c.is_archived ? ' _archived_' : ''}`,
    line(c.email && e(c.email), c.phone && e(c.phone)) || '_no contact on file_',
    line(
      `${c.open_jobs} open job${c.open_jobs === 1 ? '' : 's'}`,
      c.unpaid_count > 0
        ? `${money(c.unpaid)} unpaid (${c.unpaid_count} invoice${c.unpaid_count === 1 ? '' : 's'})`
        : 'nothing unpaid',
    ),
  ].join('\n');
  return [
    section(text),
    buttons(
      button('Jobs', SLACK_ACTIONS.clientJobs, c.external_id),
      button('Invoices', SLACK_ACTIONS.clientInvoices, c.external_id),
    ),
  ];
}

export function jobCard(j: JobRow): Block[] {
  const text = [
    `*${j.job_number != null ? `#${j.job_number} ` : ''}${e(j.title ?? 'Untitled job')}*`,
    line(
      j.client_name && e(j.client_name),
      j.status && e(j.status),
      day(j.start_at) && `starts ${day(j.start_at)}`,
      j.total != null && money(j.total),
    ),
  ].join('\n');
  return j.client_external_id
    ? [section(text), buttons(button('Client', SLACK_ACTIONS.client, j.client_external_id))]
    : [section(text)];
}

export function invoiceLine(i: InvoiceRow): Block[] {
  const text = [
    `*Invoice ${i.invoice_number ? `#${e(i.invoice_number)}` : e(i.external_id)}*${i.subject ? ` ${e(i.subject)}` : ''}`,
    line(
      i.client_name && e(i.client_name),
      i.status && e(i.status),
      `${money(i.amount_due ?? i.total)} due`,
      day(i.due_date) && `due ${day(i.due_date)}`,
    ),
  ].join('\n');
  return [section(text), buttons(button('Details', SLACK_ACTIONS.invoice, i.external_id))];
}

export function invoiceDetails(i: InvoiceRow): Block[] {
  const text = [
    `*Invoice ${i.invoice_number ? `#${e(i.invoice_number)}` : e(i.external_id)}*${i.subject ? ` ${e(i.subject)}` : ''}`,
    line(i.client_name && e(i.client_name), i.status && e(i.status)),
    line(`total ${money(i.total)}`, `paid ${money(i.amount_paid)}`, `due ${money(i.amount_due)}`),
    line(day(i.issued_date) && `issued ${day(i.issued_date)}`, day(i.due_date) && `due ${day(i.due_date)}`),
  ]
    .filter(Boolean)
    .join('\n');
  return i.client_external_id
    ? [section(text), buttons(button('Client', SLACK_ACTIONS.client, i.client_external_id))]
    : [section(text)];
}

export function leadCard(l: LeadRow): Block[] {
  const text = [
    `*${e(l.customer_name ?? 'Lead')}*${l.category ? ` — ${e(l.category)}` : ''}`,
    line(
      l.customer_phone && e(l.customer_phone),
      l.status && e(l.status),
      l.lead_price && `lead price ${e(l.lead_price)}`,
      day(l.lead_created_at) && `created ${day(l.lead_created_at)}`,
    ),
    l.description ? `> ${e(l.description).replace(/\n/g, '\n> ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return [section(text)];
}

import type { Executor } from '../../src/provider';
import { SLACK_ACTIONS } from './actions';
import { escapeMrkdwn as e, header, queryText, message, section, shownOf, type SlackMessage } from './blocks';
import { clientCard, invoiceDetails, invoiceLine, jobCard, leadCard } from './cards';
import { ROWS_SHOWN } from './commands';
import { clientById, invoiceById, invoicesOfClient, jobsOfClient, leadById } from './queries';

const notFound = (what: string) => message(`${what} not found.`, [section(`${what} not found.`)]);

/** The answer to one clicked button: its value is only an id, and the row is read again. */
export async function answerAction(db: Executor, actionId: string, given: string): Promise<SlackMessage> {
  const value = queryText(given);
  switch (actionId) {
    case SLACK_ACTIONS.client: {
      const client = await clientById(db, value);
      return client ? message(`Client ${e(client.name ?? '')}`, clientCard(client)) : notFound('Client');
    }
    case SLACK_ACTIONS.clientJobs: {
      const client = await clientById(db, value);
      if (!client) return notFound('Client');
      const page = await jobsOfClient(db, value, ROWS_SHOWN);
      const summary = `${page.total} job${page.total === 1 ? '' : 's'} of ${e(client.name ?? 'this client')}`;
      return message(summary, [
        header('Jobs'),
        section(summary),
        ...page.rows.flatMap(jobCard),
        shownOf(page.rows.length, page.total),
      ]);
    }
    case SLACK_ACTIONS.clientInvoices: {
      const client = await clientById(db, value);
      if (!client) return notFound('Client');
      const page = await invoicesOfClient(db, value, ROWS_SHOWN);
      const summary = `${page.total} invoice${page.total === 1 ? '' : 's'} of ${e(client.name ?? 'this client')}`;
      return message(summary, [
        header('Invoices'),
        section(summary),
        ...page.rows.flatMap(invoiceLine),
        shownOf(page.rows.length, page.total),
      ]);
    }
    case SLACK_ACTIONS.invoice: {
      const invoice = await invoiceById(db, value);
      return invoice
        ? message(
            `Invoice ${e(invoice.invoice_number ? `#${invoice.invoice_number}` : invoice.external_id)}`,
            invoiceDetails(invoice),
          )
        : notFound('Invoice');
    }
    case SLACK_ACTIONS.lead: {
      const lead = await leadById(db, value);
      return lead ? message(`Lead ${e(lead.customer_name ?? '')}`, leadCard(lead)) : notFound('Lead');
    }
    default:
      return notFound('That button’s answer');
  }
}

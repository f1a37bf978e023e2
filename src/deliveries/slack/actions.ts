import type { Config } from '../../config/config';
import type { ProviderRegistry } from '../../contract/provider';

/**
 * The action ids of the buttons on Slack messages. A button's value is only the id of a record;
 * whoever answers the click (a provider that takes Slack's interactions) re-reads the tables.
 */
export const SLACK_ACTIONS = {
  /** value: a client's external id → the client. */
  client: 'hookport.client',
  /** value: a client's external id → their jobs. */
  clientJobs: 'hookport.client_jobs',
  /** value: a client's external id → their invoices. */
  clientInvoices: 'hookport.client_invoices',
  /** value: an invoice's external id → its details. */
  invoice: 'hookport.invoice',
  /** value: a lead's external id → the lead. */
  lead: 'hookport.lead',
} as const;

export type SlackAction = (typeof SLACK_ACTIONS)[keyof typeof SLACK_ACTIONS];

/** The buttons Slack messages may carry: those a configured provider answers (`slackActions`). */
export function answeredActions(providers: ProviderRegistry, config: Config): ReadonlySet<string> {
  return new Set(
    Object.values(providers).flatMap((p) => (p.slackActions && p.createVerifier(config) ? p.slackActions : [])),
  );
}

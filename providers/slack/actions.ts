/**
 * The buttons Hookport puts on Slack messages, by action id; each value is only an id, read again
 * from the tables when clicked. The core's Slack notices use the same ids (it mirrors these).
 */
export const SLACK_ACTIONS = {
  /** value: a client's external id → the client's card */
  client: 'hookport.client',
  /** value: a client's external id → that client's jobs */
  clientJobs: 'hookport.client_jobs',
  /** value: a client's external id → that client's invoices */
  clientInvoices: 'hookport.client_invoices',
  /** value: an invoice's external id → the invoice */
  invoice: 'hookport.invoice',
  /** value: a lead's external id → the lead */
  lead: 'hookport.lead',
} as const;

export type SlackActionId = (typeof SLACK_ACTIONS)[keyof typeof SLACK_ACTIONS];

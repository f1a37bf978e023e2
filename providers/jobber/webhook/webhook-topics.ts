/**
 * Jobber's WebHookTopicEnum, as its GraphQL schema (January 2023) lists it; a unit test keeps the
 * two equal (webhook-topics.test.ts).
 */
export const WEBHOOK_TOPICS = [
  'APP_CONNECT',
  'APP_DISCONNECT',
  'CLIENT_CREATE',
  'CLIENT_DESTROY',
  'CLIENT_UPDATE',
  'INVOICE_CREATE',
  'INVOICE_DESTROY',
  'INVOICE_UPDATE',
  'JOB_CREATE',
  'JOB_DESTROY',
  'JOB_UPDATE',
  'PROPERTY_CREATE',
  'PROPERTY_DESTROY',
  'PROPERTY_UPDATE',
  'QUOTE_CREATE',
  'QUOTE_DESTROY',
  'QUOTE_UPDATE',
  'REQUEST_CREATE',
  'REQUEST_DESTROY',
  'REQUEST_UPDATE',
  'VISIT_COMPLETE',
  'VISIT_CREATE',
  'VISIT_DESTROY',
  'VISIT_UPDATE',
  'PRODUCT_OR_SERVICE_CREATE',
  'PRODUCT_OR_SERVICE_DESTROY',
  'PRODUCT_OR_SERVICE_UPDATE',
  'PAYMENT_CREATE',
  'PAYMENT_DESTROY',
  'PAYMENT_UPDATE',
  'PAYOUT_CREATE',
  'PAYOUT_DESTROY',
  'PAYOUT_UPDATE',
] as const;

/** Topics Jobber added after that schema (seen in its 2025-01-20 API version); they are sent too. */
export const LATER_WEBHOOK_TOPICS = [
  'JOB_CLOSED',
  'QUOTE_SENT',
  'QUOTE_APPROVED',
  'TIMESHEET_CREATE',
  'TIMESHEET_UPDATE',
  'TIMESHEET_DESTROY',
  'EXPENSE_CREATE',
  'EXPENSE_UPDATE',
  'EXPENSE_DESTROY',
  'USER_CREATE',
  'USER_UPDATE',
  'ON_MY_WAY_TRACKING_LINK_REQUEST',
  'MARKETING_ITEM_UPDATE',
] as const;

/** Every topic Hookport knows: each has its canonical type in the catalogue. */
export const JOBBER_TOPICS: readonly string[] = [...WEBHOOK_TOPICS, ...LATER_WEBHOOK_TOPICS];

/** The GraphQL type of each topic's item (`PRODUCT_OR_SERVICE` → ProductOrService), for examples and samples. */
export const TOPIC_ITEM_TYPES: Readonly<Record<string, string>> = {
  CLIENT: 'Client',
  JOB: 'Job',
  INVOICE: 'Invoice',
  QUOTE: 'Quote',
  REQUEST: 'Request',
  VISIT: 'Visit',
  PROPERTY: 'Property',
  PAYMENT: 'PaymentRecord',
  PAYOUT: 'Payout',
  PRODUCT_OR_SERVICE: 'ProductOrService',
  TIMESHEET: 'TimeSheetEntry',
  EXPENSE: 'Expense',
  USER: 'User',
  APP: 'Account',
  // Not in the 2023 schema: the names are assumed.
  ON_MY_WAY_TRACKING_LINK: 'Visit',
  MARKETING_ITEM: 'MarketingItem',
};

/** Jobber's ids are base64 global ids, e.g. base64 of `gid://Jobber/Client/52413`. */
export const globalId = (type: string, n: number | string): string =>
  Buffer.from(`gid://Jobber/${type}/${n}`).toString('base64');

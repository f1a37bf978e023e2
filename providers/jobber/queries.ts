import type { JobberFamily } from './topics';

/** Job links per page of an invoice's `jobs` connection; more pages are fetched with INVOICE_JOBS_QUERY. */
export const JOBS_PAGE_SIZE = 50;

/**
 * Every GraphQL document Hookport sends to Jobber. test/unit/jobber-queries.test.ts validates each
 * one against Jobber's schema (test/fixtures/jobber/graphql-schema.json.gz), and the fake Jobber refuses any that does not validate.
 */
export const CLIENT_QUERY = `query HookportClient($id: EncodedId!) {
  client(id: $id) {
    id
    name
    firstName
    lastName
    companyName
    isLead
    isArchived
    updatedAt
    emails { address description primary }
    phones { number description primary smsAllowed }
    billingAddress { street1 street2 city province postalCode country }
  }
}`;

export const JOB_QUERY = `query HookportJob($id: EncodedId!) {
  job(id: $id) {
    id
    jobNumber
    title
    jobStatus
    total
    startAt
    endAt
    completedAt
    updatedAt
    client { id }
  }
}`;

export const INVOICE_QUERY = `query HookportInvoice($id: EncodedId!) {
  invoice(id: $id) {
    id
    invoiceNumber
    subject
    invoiceStatus
    issuedDate
    dueDate
    receivedDate
    updatedAt
    client { id }
    jobs(first: ${JOBS_PAGE_SIZE}) { nodes { id } pageInfo { hasNextPage endCursor } }
    amounts { total invoiceBalance paymentsTotal }
  }
}`;

/** The invoice's further job links, one page after `after` (an invoice can link more jobs than a page). */
export const INVOICE_JOBS_QUERY = `query HookportInvoiceJobs($id: EncodedId!, $after: String) {
  invoice(id: $id) {
    jobs(first: ${JOBS_PAGE_SIZE}, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
  }
}`;

/** Which account a new access token belongs to (the OAuth callback). */
export const ACCOUNT_QUERY = `query HookportAccount {
  account { id name }
}`;

export const ITEM_QUERIES: Record<JobberFamily, string> = {
  client: CLIENT_QUERY,
  job: JOB_QUERY,
  invoice: INVOICE_QUERY,
};

export const ALL_QUERIES = { ...ITEM_QUERIES, invoiceJobs: INVOICE_JOBS_QUERY, account: ACCOUNT_QUERY };

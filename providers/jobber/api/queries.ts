import type { JobberFamily } from '../webhook/topics';

/** Job links per page of an invoice's `jobs` connection; more pages are fetched with INVOICE_JOBS_QUERY. */
export const JOBS_PAGE_SIZE = 50;

/**
 * Every GraphQL document Hookport sends to Jobber. queries.test.ts validates each
 * one against Jobber's schema (test/fixtures/jobber/graphql-schema.json.gz), and the fake Jobber refuses any that does
 * not validate.
 */
/** The fields Hookport keeps of each family: one set for a webhook's fetch and the import's pages. */
const CLIENT_FIELDS = `id
    name
    firstName
    lastName
    companyName
    isLead
    isArchived
    updatedAt
    emails { address description primary }
    phones { number description primary smsAllowed }
    billingAddress { street1 street2 city province postalCode country }`;

const JOB_FIELDS = `id
    jobNumber
    title
    jobStatus
    total
    startAt
    endAt
    completedAt
    updatedAt
    client { id }`;

/**
 * An invoice's fields, with the first `jobs` links of it. A list asks for few (most invoices link
 * one or two jobs, and the links are what a page's cost is multiplied by); the rest are fetched
 * with INVOICE_JOBS_QUERY.
 */
const invoiceFields = (jobs: number) => `id
    invoiceNumber
    subject
    invoiceStatus
    issuedDate
    dueDate
    receivedDate
    updatedAt
    client { id }
    jobs(first: ${jobs}) { nodes { id } pageInfo { hasNextPage endCursor } }
    amounts { total invoiceBalance paymentsTotal }`;

/** Job links of each invoice in a list page. */
export const LISTED_INVOICE_JOBS = 5;

export const CLIENT_QUERY = `query HookportClient($id: EncodedId!) {
  client(id: $id) {
    ${CLIENT_FIELDS}
  }
}`;

export const JOB_QUERY = `query HookportJob($id: EncodedId!) {
  job(id: $id) {
    ${JOB_FIELDS}
  }
}`;

export const INVOICE_QUERY = `query HookportInvoice($id: EncodedId!) {
  invoice(id: $id) {
    ${invoiceFields(JOBS_PAGE_SIZE)}
  }
}`;

const PAGE = 'pageInfo { hasNextPage endCursor } totalCount';

/**
 * One page of each family for an import or a reconciliation. Clients and invoices filter on
 * `updatedAt` (null filter: everything); jobs have no such filter, so they come newest-updated
 * first and a reconciliation stops at the first one older than its window.
 */
export const LIST_QUERIES: Record<JobberFamily, string> = {
  client: `query HookportClients($first: Int!, $after: String, $filter: ClientFilterAttributes) {
  clients(first: $first, after: $after, filter: $filter) {
    nodes {
    ${CLIENT_FIELDS}
    }
    ${PAGE}
  }
}`,
  job: `query HookportJobs($first: Int!, $after: String) {
  jobs(first: $first, after: $after, sort: [{ key: UPDATED_AT, direction: DESCENDING }]) {
    nodes {
    ${JOB_FIELDS}
    }
    ${PAGE}
  }
}`,
  invoice: `query HookportInvoices($first: Int!, $after: String, $filter: InvoiceFilterAttributes) {
  invoices(first: $first, after: $after, filter: $filter) {
    nodes {
    ${invoiceFields(LISTED_INVOICE_JOBS)}
    }
    ${PAGE}
  }
}`,
};

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

export const ALL_QUERIES = {
  ...ITEM_QUERIES,
  clients: LIST_QUERIES.client,
  jobs: LIST_QUERIES.job,
  invoices: LIST_QUERIES.invoice,
  invoiceJobs: INVOICE_JOBS_QUERY,
  account: ACCOUNT_QUERY,
};

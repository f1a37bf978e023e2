import type { JobberFamily } from './topics';

/**
 * Every GraphQL document Hookport sends to Jobber. test/unit/jobber-queries.test.ts validates each
 * one against the schema in shared/specs, and the fake Jobber refuses any that does not validate.
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
    jobs(first: 50) { nodes { id } }
    amounts { total invoiceBalance paymentsTotal }
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

export const ALL_QUERIES = { ...ITEM_QUERIES, account: ACCOUNT_QUERY };

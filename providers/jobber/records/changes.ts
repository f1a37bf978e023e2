import type { Described } from '../../../src/provider';
import type { clients, invoices, JobberConnectionState, jobs } from './tables';

/** A Jobber client as the webhook (ids) and, when there is a token, the API (the rest) saw it. */
export type JobberClientChange = { kind: 'client' } & Described<typeof clients>;

/** A Jobber job; absent fields keep what the row already has. */
export type JobberJobChange = { kind: 'job' } & Described<typeof jobs>;

/** A Jobber invoice; `paidNotifiedAt` is the upsert's own bookkeeping for `invoice.paid`. */
export type JobberInvoiceChange = { kind: 'invoice' } & Omit<Described<typeof invoices>, 'paidNotifiedAt'>;

/** APP_CONNECT / APP_DISCONNECT: the account's connection state as of `at`. */
export interface JobberAccountChange {
  kind: 'jobber_account';
  /** The Jobber account id. */
  externalId: string;
  state: JobberConnectionState;
  at: Date;
}

export type JobberRecordChange = JobberClientChange | JobberJobChange | JobberInvoiceChange;
export type JobberChange = JobberRecordChange | JobberAccountChange;

declare module '../../../src/provider' {
  interface RecordChanges {
    client: JobberClientChange;
    job: JobberJobChange;
    invoice: JobberInvoiceChange;
    jobber_account: JobberAccountChange;
  }
}

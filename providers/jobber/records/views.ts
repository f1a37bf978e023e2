import { z } from 'zod';
import { recordView, type RecordView } from '../../../src/provider';
import type { JobberChange } from './changes';
import { clients, invoices, jobberAccounts, jobs } from './tables';

/** How Jobber's rows appear in events (`data.object`); the examples are one account's records. */

const ACCOUNT_ID = 'Z2lkOi8vSm9iYmVyL0FjY291bnQvMTAwMQ=='; // gid://Jobber/Account/1001
const CLIENT_ID = 'Z2lkOi8vSm9iYmVyL0NsaWVudC81MjQxMw=='; // gid://Jobber/Client/52413
const JOB_ID = 'Z2lkOi8vSm9iYmVyL0pvYi84ODIzMQ=='; // gid://Jobber/Job/88231
const INVOICE_ID = 'Z2lkOi8vSm9iYmVyL0ludm9pY2UvNjEyMjA='; // gid://Jobber/Invoice/61220

const text = z.string().nullable();
const flag = z.boolean().nullable();

export const clientView = recordView('client', clients, {
  description:
    'A Jobber client as Hookport keeps it (a row of `clients`): ids from the webhook, the rest fetched from Jobber while `sync_status` is `synced`.',
  json: {
    emails: z.array(z.object({ address: text, description: text, primary: flag })),
    phones: z.array(z.object({ number: text, description: text, primary: flag, smsAllowed: flag })),
    billingAddress: z.object({
      street1: text,
      street2: text,
      city: text,
      province: text,
      postalCode: text,
      country: text,
    }),
  },
  example: {
    id: 87,
    provider: 'jobber',
    externalId: CLIENT_ID,
    accountId: ACCOUNT_ID,
    sourceOccurredAt: new Date('2026-05-01T15:30:00Z'),
    lastEventId: '3c1f7a52-9b0e-4d8a-a6f1-2e5b7c9d0a14',
    lastTopic: 'CLIENT_UPDATE',
    syncStatus: 'synced',
    syncedAt: new Date('2026-05-01T15:30:01Z'),
    jobberUpdatedAt: new Date('2026-05-01T15:29:58Z'),
    name: 'Dana Whitfield',
    firstName: 'Dana',
    lastName: 'Whitfield',
    companyName: 'Whitfield Property Group',
    emails: [{ address: 'dana@whitfieldpg.com', description: 'MAIN', primary: true }],
    phones: [{ number: '(403) 555-0142', description: 'MOBILE', primary: true, smsAllowed: true }],
    billingAddress: {
      street1: '220 4 Ave SW',
      street2: 'Suite 1400',
      city: 'Calgary',
      province: 'Alberta',
      postalCode: 'T2P 0H5',
      country: 'Canada',
    },
    isLead: false,
    isArchived: false,
    createdAt: new Date('2026-04-12T09:14:03Z'),
    updatedAt: new Date('2026-05-01T15:30:01Z'),
  },
});

export const jobView = recordView('job', jobs, {
  description: "A Jobber job as Hookport keeps it (a row of `jobs`); `status` is Jobber's jobStatus.",
  example: {
    id: 412,
    provider: 'jobber',
    externalId: JOB_ID,
    accountId: ACCOUNT_ID,
    sourceOccurredAt: new Date('2026-05-02T23:00:00Z'),
    lastEventId: '8e2d4b61-0c3a-4f7e-b5d9-6a1c2e3f4b75',
    lastTopic: 'JOB_CLOSED',
    syncStatus: 'synced',
    syncedAt: new Date('2026-05-02T23:00:02Z'),
    jobberUpdatedAt: new Date('2026-05-02T22:58:11Z'),
    jobNumber: 1042,
    title: 'Spring gutter cleaning',
    status: 'requires_invoicing',
    clientExternalId: CLIENT_ID,
    total: 485.5,
    startAt: new Date('2026-05-02T15:00:00Z'),
    endAt: new Date('2026-05-02T19:00:00Z'),
    completedAt: new Date('2026-05-02T22:58:11Z'),
    createdAt: new Date('2026-04-28T16:02:40Z'),
    updatedAt: new Date('2026-05-02T23:00:02Z'),
  },
});

export const invoiceView = recordView('invoice', invoices, {
  description:
    'A Jobber invoice as Hookport keeps it (a row of `invoices`); `amount_due` is its balance, `amount_paid` its payments total.',
  // Hookport's own mark of the invoice.paid it emitted: bookkeeping, not Jobber's data.
  hidden: ['paidNotifiedAt'],
  json: { jobExternalIds: z.array(z.string()) },
  example: {
    id: 230,
    provider: 'jobber',
    externalId: INVOICE_ID,
    accountId: ACCOUNT_ID,
    sourceOccurredAt: new Date('2026-05-09T17:41:00Z'),
    lastEventId: 'b7a90d3e-5f21-4c68-9e04-1d2c3b4a5f86',
    lastTopic: 'INVOICE_UPDATE',
    syncStatus: 'synced',
    syncedAt: new Date('2026-05-09T17:41:02Z'),
    jobberUpdatedAt: new Date('2026-05-09T17:40:57Z'),
    invoiceNumber: '2087',
    subject: 'For Services Rendered',
    status: 'paid',
    clientExternalId: CLIENT_ID,
    jobExternalIds: [JOB_ID],
    total: 524.34,
    amountDue: 0,
    amountPaid: 524.34,
    issuedDate: new Date('2026-05-02T23:05:00Z'),
    dueDate: new Date('2026-06-01T23:05:00Z'),
    receivedDate: new Date('2026-05-09T17:40:57Z'),
    createdAt: new Date('2026-05-02T23:05:06Z'),
    updatedAt: new Date('2026-05-09T17:41:02Z'),
  },
});

export const jobberAccountView = recordView('jobber_account', jobberAccounts, {
  description: "A Jobber account's connection to Hookport (a row of `jobber_accounts`, without its OAuth tokens).",
  // Credentials: an event never carries them, nor when they expire.
  hidden: ['accessToken', 'refreshToken', 'tokenExpiresAt'],
  example: {
    accountId: ACCOUNT_ID,
    name: 'Whitfield Gutters & Eaves',
    connectionState: 'connected',
    stateAt: new Date('2026-04-12T09:02:31Z'),
    createdAt: new Date('2026-04-12T09:02:31Z'),
    updatedAt: new Date('2026-04-12T09:02:31Z'),
  },
});

export const jobberRecordViews = {
  client: clientView,
  job: jobView,
  invoice: invoiceView,
  jobber_account: jobberAccountView,
} satisfies { readonly [K in JobberChange['kind']]: RecordView };

import { z } from 'zod';
import type { JobberClientChange, JobberInvoiceChange, JobberJobChange } from '../records/changes';
import type { JobberFamily } from '../webhook/topics';

/** What Jobber's GraphQL API answers for each query in api/queries.ts (nulls allowed wherever Jobber allows them). */
const date = z
  .string()
  .nullish()
  .transform((v) => (v ? new Date(v) : null));
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const num = z
  .number()
  .nullish()
  .transform((v) => v ?? null);
const flag = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);
const ref = z
  .object({ id: z.string() })
  .nullish()
  .transform((v) => v?.id ?? null);

const clientSchema = z.object({
  name: text,
  firstName: text,
  lastName: text,
  companyName: text,
  isLead: flag,
  isArchived: flag,
  updatedAt: date,
  emails: z.array(z.object({ address: text, description: text, primary: flag })).nullish(),
  phones: z.array(z.object({ number: text, description: text, primary: flag, smsAllowed: flag })).nullish(),
  billingAddress: z
    .object({ street1: text, street2: text, city: text, province: text, postalCode: text, country: text })
    .nullish(),
});

const jobSchema = z.object({
  jobNumber: z.number().int().nullish(),
  title: text,
  jobStatus: text,
  total: num,
  startAt: date,
  endAt: date,
  completedAt: date,
  updatedAt: date,
  client: ref,
});

const invoiceSchema = z.object({
  invoiceNumber: text,
  subject: text,
  invoiceStatus: text,
  issuedDate: date,
  dueDate: date,
  receivedDate: date,
  updatedAt: date,
  client: ref,
  jobs: z.object({ nodes: z.array(z.object({ id: z.string() })) }).nullish(),
  amounts: z.object({ total: num, invoiceBalance: num, paymentsTotal: num }).nullish(),
});

type Fields<C> = Omit<C, 'kind' | 'provider' | 'externalId' | 'accountId' | 'sourceOccurredAt' | 'syncStatus'>;

/** Each family's API record as the columns of its table. Throws (the event retries) on a malformed answer. */
export const toColumns = {
  client(value: unknown): Fields<JobberClientChange> {
    const c = clientSchema.parse(value);
    return {
      name: c.name,
      firstName: c.firstName,
      lastName: c.lastName,
      companyName: c.companyName,
      isLead: c.isLead,
      isArchived: c.isArchived,
      jobberUpdatedAt: c.updatedAt,
      emails: c.emails ?? null,
      phones: c.phones ?? null,
      billingAddress: c.billingAddress ?? null,
    };
  },
  job(value: unknown): Fields<JobberJobChange> {
    const j = jobSchema.parse(value);
    return {
      jobNumber: j.jobNumber ?? null,
      title: j.title,
      status: j.jobStatus,
      total: j.total,
      startAt: j.startAt,
      endAt: j.endAt,
      completedAt: j.completedAt,
      clientExternalId: j.client,
      jobberUpdatedAt: j.updatedAt,
    };
  },
  invoice(value: unknown): Fields<JobberInvoiceChange> {
    const i = invoiceSchema.parse(value);
    return {
      invoiceNumber: i.invoiceNumber,
      subject: i.subject,
      status: i.invoiceStatus,
      issuedDate: i.issuedDate,
      dueDate: i.dueDate,
      receivedDate: i.receivedDate,
      clientExternalId: i.client,
      jobExternalIds: i.jobs ? i.jobs.nodes.map((n) => n.id) : null,
      total: i.amounts?.total ?? null,
      amountDue: i.amounts?.invoiceBalance ?? null,
      amountPaid: i.amounts?.paymentsTotal ?? null,
      jobberUpdatedAt: i.updatedAt,
    };
  },
} satisfies Record<JobberFamily, (value: unknown) => object>;

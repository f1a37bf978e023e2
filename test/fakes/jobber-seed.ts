import type { FakeJobber } from './jobber';
import { readJobberApiFixture } from './jobber-fixtures';

/** A Jobber global id, as Jobber encodes them (base64 of `gid://Jobber/<Type>/<n>`). */
export const gid = (type: string, n: number) => Buffer.from(`gid://Jobber/${type}/${n}`).toString('base64');

export interface SeedCounts {
  client: number;
  job: number;
  invoice: number;
}

/**
 * Records an account that has used Jobber for a while has: `counts` of each family, updated one
 * minute apart from `from` (before the account connected), each job naming a client. With
 * `bigInvoice`, invoice 1 links that many jobs (more than a page of them). Returns how many records
 * the fake then holds (its own fixture of each family too).
 */
export function seedJobber(
  fake: FakeJobber,
  counts: SeedCounts,
  options: { from?: Date; bigInvoice?: number } = {},
): number {
  const from = (options.from ?? new Date(Date.UTC(2026, 0, 1))).getTime();
  const at = (n: number) => new Date(from + n * 60_000).toISOString();
  const [client, job, invoice] = (['client', 'job', 'invoice'] as const).map((family) => readJobberApiFixture(family));
  for (let n = 1; n <= counts.client; n++) {
    fake.put('client', {
      ...client,
      id: gid('Client', n),
      name: `Client ${n}`,
      firstName: `First${n}`,
      updatedAt: at(n),
    });
  }
  for (let n = 1; n <= counts.job; n++) {
    fake.put('job', {
      ...job,
      id: gid('Job', n),
      jobNumber: n,
      title: `Job ${n}`,
      updatedAt: at(n),
      client: { id: gid('Client', (n % counts.client) + 1) },
    });
  }
  for (let n = 1; n <= counts.invoice; n++) {
    const linked = n === 1 && options.bigInvoice ? options.bigInvoice : 1;
    const jobs = Array.from({ length: linked }, (_, i) => ({ id: gid('Job', linked === 1 ? n : i + 1) }));
    fake.put('invoice', {
      ...invoice,
      id: gid('Invoice', n),
      invoiceNumber: String(5000 + n),
      updatedAt: at(n),
      jobs: { nodes: jobs },
    });
  }
  return counts.client + counts.job + counts.invoice + 3;
}

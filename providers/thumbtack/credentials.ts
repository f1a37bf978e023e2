import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Config, Executor } from '../../src/provider';
import { thumbtackSettings } from './settings';
import { thumbtackWebhookCredentials } from './tables';

/** The Basic credentials Hookport checks, when both are set. */
export function configuredAuth(config: Config): { username: string; password: string } | undefined {
  const { username, password } = thumbtackSettings.of(config);
  return username && password ? { username, password } : undefined;
}

/** A one-way digest of the credentials: enough to tell whether a webhook still has the current ones. */
export const credentialsDigest = (auth: { username: string; password: string }) =>
  createHash('sha256').update(`hookport thumbtack webhook\0${auth.username}\0${auth.password}`).digest('base64url');

const t = thumbtackWebhookCredentials;

/** Hookport just sent these credentials on the webhook. */
export async function rememberCredentials(
  db: Executor,
  businessId: string,
  webhookId: string,
  auth: { username: string; password: string },
): Promise<void> {
  const values = { businessId, credentialsDigest: credentialsDigest(auth), setAt: new Date() };
  await db
    .insert(t)
    .values({ webhookId, ...values })
    .onConflictDoUpdate({ target: t.webhookId, set: values });
}

export async function forgetCredentials(db: Executor, webhookId: string): Promise<void> {
  await db.delete(t).where(eq(t.webhookId, webhookId));
}

/** The digest Hookport last sent, by webhook id. */
export async function sentDigests(db: Executor): Promise<Map<string, { businessId: string; digest: string }>> {
  const rows = await db.select().from(t);
  return new Map(rows.map((r) => [r.webhookId, { businessId: r.businessId, digest: r.credentialsDigest }]));
}

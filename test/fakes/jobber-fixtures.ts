import { createHmac } from 'node:crypto';
import { readFixture } from '../helpers/fixtures';
import type { Harness } from '../helpers/harness';
import { TEST_SECRETS } from '../helpers/harness';

/**
 * Jobber fixtures under test/fixtures/jobber/:
 *   webhooks/<TOPIC>.json  webhook bodies exactly as Jobber sends them (compact JSON); one account,
 *                          one client, job, invoice and quote; CLIENT_UPDATE.legacy-occuredAt.json
 *                          has the pre-2023-12 spelling.
 *   api/<client|job|invoice|account>.json  what Jobber's GraphQL API answers for those ids.
 */
export type WebhookEvent = { topic: string; appId: string; accountId: string; itemId: string; occurredAt: string };

/** A webhook fixture's exact text. */
export const readJobberWebhook = (name: string): string => readFixture('jobber', `webhooks/${name}.json`).trim();

/** A webhook fixture's event, to edit and pass to jobberBody. */
export const jobberEvent = (name: string): WebhookEvent =>
  (JSON.parse(readJobberWebhook(name)) as { data: { webHookEvent: WebhookEvent } }).data.webHookEvent;

/** Jobber's envelope around an event, compact as Jobber sends it. */
export const jobberBody = (event: Partial<WebhookEvent> & Record<string, unknown>): string =>
  JSON.stringify({ data: { webHookEvent: event } });

export const readJobberApiFixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFixture('jobber', `api/${name}.json`)) as Record<string, unknown>;

/** Jobber's signature, computed here independently of the code under test. */
export const signJobber = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(body, 'utf8').digest('base64');

/**
 * POSTs a body to /webhooks/jobber signed as Jobber signs (Base64 HMAC-SHA256 of the raw bytes with
 * the client secret; Jobber publishes no library for it, so this is node:crypto, as in its docs).
 */
export function postJobber(h: Pick<Harness, 'http'>, body: string, secret = TEST_SECRETS.jobberClientSecret) {
  return h
    .http()
    .post('/webhooks/jobber')
    .set('content-type', 'application/json')
    .set('x-jobber-hmac-sha256', signJobber(secret, body))
    .send(body);
}

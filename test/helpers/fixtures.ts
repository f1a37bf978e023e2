import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one reader of real-shape provider payloads, under test/fixtures/<provider>/ (a provider's
 * folder name there is its registry name), e.g.
 *   twilio: inbound-sms, inbound-mms, status-{sent,delivered,read,undelivered,failed} (.form, exact bodies)
 *   resend: <event type>.json, e.g. email.bounced.json; sent/delayed/delivered/opened/clicked/complained/bounced
 *           share one email_id, so they tell the story of one email.
 *   jobber: webhooks/<TOPIC>.json, api/<item>.json; thumbtack: <name>.json
 */

/** test/fixtures, from test/helpers as jest runs it or from dist/test/helpers as a compiled bench does. */
export const FIXTURES = [join(__dirname, '..', 'fixtures'), join(__dirname, '..', '..', '..', 'test', 'fixtures')].find(
  (dir) => existsSync(dir),
)!;

/** The fixture's exact text, e.g. readFixture('twilio', 'inbound-sms.form'). */
export function readFixture(provider: string, name: string): string {
  return readFileSync(join(FIXTURES, provider, name), 'utf8');
}

/** A Twilio .form fixture as the params object twilio-node signs (no repeated keys in these fixtures). */
export function readFormFixture(name: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(readFixture('twilio', `${name}.form`)));
}

/** A Resend .json fixture, parsed; edit a copy and JSON.stringify it to make a variant. */
export function readJsonFixture<T = { type: string; created_at: string; data: Record<string, unknown> }>(
  name: string,
): T {
  return JSON.parse(readFixture('resend', `${name}.json`)) as T;
}

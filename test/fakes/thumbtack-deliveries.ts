import { basicAuthorization } from '../../providers/thumbtack/sign';
import { readFixture } from '../helpers/fixtures';
import type { Harness } from '../helpers/harness';
import { TEST_SECRETS } from '../helpers/harness';

/**
 * Thumbtack's side of a delivery: the fixture bodies under test/fixtures/thumbtack/ and a POST with
 * the HTTP Basic header Thumbtack sends for a webhook created with `auth:{username,password}`.
 *   negotiation-created, message-from-customer, message-from-business, review-created,
 *   preset-job-status-changed (v4 envelopes; one lead's story), legacy-v2-lead (deprecated v2 shape)
 */
export type ThumbtackFixture =
  | 'negotiation-created'
  | 'message-from-customer'
  | 'message-from-business'
  | 'review-created'
  | 'preset-job-status-changed'
  | 'legacy-v2-lead';

/** The fixture's exact text. */
export function thumbtackFixtureText(name: ThumbtackFixture): string {
  return readFixture('thumbtack', `${name}.json`);
}

/** The fixture parsed; edit it and JSON.stringify it to make a variant. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers reach into the fixture's data freely
export function thumbtackFixture<T = { event: Record<string, unknown>; data: Record<string, any> }>(
  name: ThumbtackFixture,
): T {
  return JSON.parse(thumbtackFixtureText(name)) as T;
}

export { basicAuthorization };

export const THUMBTACK_AUTHORIZATION = basicAuthorization(
  TEST_SECRETS.thumbtackUsername,
  TEST_SECRETS.thumbtackPassword,
);

/** POSTs a body (exact text, or an object as JSON) to /webhooks/thumbtack as Thumbtack would. */
export function postThumbtack(
  h: Pick<Harness, 'http'>,
  body: string | object,
  authorization: string | null = THUMBTACK_AUTHORIZATION,
) {
  const request = h.http().post('/webhooks/thumbtack').set('content-type', 'application/json');
  if (authorization !== null) request.set('authorization', authorization);
  return request.send(typeof body === 'string' ? body : JSON.stringify(body));
}

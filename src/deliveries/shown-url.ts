import type { SubscriptionKind } from '../db/tables/deliveries';

/** Characters left visible at a masked URL's end: enough to tell two apart, far too few to use. */
const VISIBLE_TAIL = 4;

/**
 * A subscription's URL as the admin API, the console and the CLI show it. A Slack incoming-webhook
 * URL is a credential (whoever holds it can post to the channel), so only its scheme, host and last
 * characters are shown: `https://hooks.slack.com/…AbCd`. A webhook URL is not a secret: shown whole.
 * Only the answer to the request that set a URL shows it whole (as a secret is shown on creation).
 */
export function shownUrl(kind: SubscriptionKind, url: string): string {
  return kind === 'slack' ? maskedUrl(url) : url;
}

/** Scheme and host (never user info), then `…` and the last characters when the rest is long enough to hide. */
export function maskedUrl(url: string): string {
  let origin = '';
  try {
    const parsed = new URL(url);
    if (parsed.origin !== 'null') origin = parsed.origin;
  } catch {
    // Not a URL: only the tail, if any.
  }
  const rest = origin !== '' && url.startsWith(origin) ? url.slice(origin.length) : url;
  const tail = rest.length > 2 * VISIBLE_TAIL ? url.slice(-VISIBLE_TAIL) : '';
  return `${origin}/…${tail}`;
}

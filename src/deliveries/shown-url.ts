import type { SubscriptionKind } from '../db/tables/deliveries';

/**
 * A subscription's URL as the admin API, the console and the CLI show it. A Slack incoming-webhook
 * URL is a credential (whoever holds it can post to the channel), so it is shown by its shape
 * only: `https://hooks.slack.com/services/T…/B…/…`, none of its secret characters. A webhook URL is
 * not a secret: shown whole. Only the answer to the request that set a URL shows it whole (as a
 * secret is shown on creation).
 */
export function shownUrl(kind: SubscriptionKind, url: string): string {
  return kind === 'slack' ? maskedUrl(url) : url;
}

/** A path segment shown as is: a short lower-case word such as `services`, never a token's characters. */
const WORD = /^[a-z]{1,16}$/;
/** A Slack id (`T0AAAAAAA`, `B0BBBBBBB`): only its kind letter is shown. */
const ID = /^[A-Z][A-Z0-9]{5,}$/;

function maskedSegment(segment: string, last: boolean): string {
  if (segment === '') return '';
  if (last) return '…';
  if (WORD.test(segment)) return segment;
  return ID.test(segment) ? `${segment[0]}…` : '…';
}

/**
 * Scheme and host (never user info), then the path's shape: words kept, ids cut to their kind
 * letter, the last segment, the query and the fragment never shown.
 */
export function maskedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '…';
  }
  if (parsed.origin === 'null') return '…';
  const segments = parsed.pathname.split('/').slice(1);
  const path = segments.map((s, i) => maskedSegment(s, i === segments.length - 1)).join('/');
  return `${parsed.origin}/${path || '…'}${parsed.search ? '?…' : ''}`;
}

/**
 * A URL as an operational event's body shows it (bodies go to every hookport.* subscriber and
 * are kept): a Slack URL by its shape, a webhook URL without user info, query or fragment, where
 * receivers put their tokens.
 */
export function eventUrl(kind: SubscriptionKind, url: string): string {
  if (kind === 'slack') return maskedUrl(url);
  try {
    const parsed = new URL(url);
    if (parsed.origin === 'null') return '…';
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '…';
  }
}

import type { SecretBox } from '../crypto/secret-box';
import type { SubscriptionKind } from '../db/tables/deliveries';
import type { SubscriptionRow } from '../deliveries/failure-facts';
import { openedUrl } from '../deliveries/sealed-columns';
import { eventUrl } from '../deliveries/shown-url';
import { SecretUnreadableError } from '../errors/hookport-error';
import type { SubscriptionObject } from '../events/operational-types';

function shown(box: SecretBox, kind: SubscriptionKind, stored: string): string {
  try {
    return eventUrl(kind, openedUrl(box, kind, stored));
  } catch (err) {
    // The body never holds a URL's ciphertext; the admin API names the missing key.
    if (err instanceof SecretUnreadableError) return '(unreadable)';
    throw err;
  }
}

/** `data.object` of hookport.subscription.* and hookport.delivery.failing. */
export function subscriptionObject(box: SecretBox, r: SubscriptionRow): SubscriptionObject {
  return {
    id: r.id,
    kind: r.kind,
    url: shown(box, r.kind, r.url),
    description: r.description,
    eventTypes: typeof r.event_types === 'string' ? (JSON.parse(r.event_types) as string[]) : r.event_types,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    failingSince: r.failing_since === null ? null : new Date(r.failing_since).toISOString(),
  };
}

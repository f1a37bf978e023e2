/** Whether a subscription's `event_types` (exact types, `*`, `prefix.*`) take an event type. */
export function typeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** A valid pattern: `*`, a type (`lead.created`), or a prefix (`lead.*`, `invoice.paid.*`). */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/i;

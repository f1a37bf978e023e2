import { sql, type SQL } from 'drizzle-orm';

/**
 * Whether a subscription's `event_types` (jsonb array: exact types, `*`, `prefix.*`) takes an
 * event type, as SQL over `subscriptions` aliased `s`; the type is the SQL expression `type`.
 */
export const subscriptionMatches = (type: SQL): SQL => sql`(
  s.event_types @> jsonb_build_array(${type}) or s.event_types @> '["*"]'::jsonb
  or exists (select 1 from jsonb_array_elements_text(s.event_types) as p(pattern)
    where right(p.pattern, 2) = '.*' and starts_with(${type}, left(p.pattern, -1))))`;

/** The same rule in code (validation, tests, the test send). */
export function typeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** A valid pattern: `*`, a type (`lead.created`), or a prefix (`lead.*`, `invoice.paid.*`). */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/i;

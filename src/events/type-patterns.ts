import type { Catalogue } from './catalogue';

/** A subscription's event type that the catalogue has no type for: answered 400 unknown_event_type. */
export interface UnknownEventType {
  pattern: string;
  /** The catalogue's nearest types (or prefixes, for a `prefix.*`), best first. */
  nearest: string[];
}

/** Edit distance (Levenshtein), for suggestions only. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

const firstWord = (type: string) => type.split('.')[0]!;

/**
 * The nearest names to `wanted`: those of its first word when there are any (`message.new` →
 * every `message.*` type, closest first), else the closest overall. At most `limit`.
 */
export function nearestNames(wanted: string, names: readonly string[], limit = 4): string[] {
  const family = names.filter((n) => firstWord(n) === firstWord(wanted));
  const pool = family.length > 0 ? family : names;
  return [...pool]
    .map((name) => ({ name, d: distance(wanted, name) }))
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.name);
}

/** Every `prefix.*` that matches at least one type (`message.*`, `email.*`, …). */
function prefixesOf(types: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const type of types) {
    const words = type.split('.');
    for (let n = 1; n < words.length; n++) prefixes.add(`${words.slice(0, n).join('.')}.*`);
  }
  return [...prefixes];
}

/** The first pattern that is neither `*`, a catalogue type, nor a `prefix.*` matching one; null when all are. */
export function unknownEventType(catalogue: Catalogue, patterns: readonly string[]): UnknownEventType | null {
  const types = catalogue.entries.map((e) => e.type);
  for (const pattern of patterns) {
    if (pattern === '*' || catalogue.get(pattern)) continue;
    if (pattern.endsWith('.*')) {
      const prefix = pattern.slice(0, -1);
      if (types.some((t) => t.startsWith(prefix))) continue;
      return { pattern, nearest: nearestNames(pattern, prefixesOf(types)) };
    }
    return { pattern, nearest: nearestNames(pattern, types) };
  }
  return null;
}

/** The 400's message: what is wrong, the nearest names, and where the whole list is. */
export function unknownEventTypeMessage(unknown: UnknownEventType): string {
  const what = unknown.pattern.endsWith('.*')
    ? 'matches no event type Hookport emits'
    : 'is not an event type Hookport emits';
  const nearest = unknown.nearest.length > 0 ? `; did you mean ${unknown.nearest.join(', ')}?` : '';
  return `"${unknown.pattern}" ${what}${nearest} (GET /admin/api/event-types lists them all)`;
}

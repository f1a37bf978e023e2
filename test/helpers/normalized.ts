import type { CanonicalEvent, Normalized } from '../../src/contract/provider';

/** The single event a payload normalizes to (fails the test if it was ignored or made several). */
export function onlyEvent(normalized: Normalized): CanonicalEvent {
  if (!('events' in normalized)) throw new Error(`expected events, got ignored: ${normalized.ignored}`);
  expect(normalized.events).toHaveLength(1);
  return normalized.events[0]!;
}

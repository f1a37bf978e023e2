import type { EventBody } from './body';
import type { Catalogue } from './catalogue';

/** What a test send carries: a catalogue type and its body. */
export interface TestEvent {
  type: string;
  recordKind: string | null;
  body: EventBody;
}

/** What Hookport names itself as in a test send's `data.source`. */
const TEST_SOURCE = { provider: 'hookport', inboundEventId: null, receivedAt: null };

/**
 * A test send of `type`: the catalogue example's body, now, from Hookport itself, with the
 * caller's `payload` as `data.object` when given. Undefined for a type not in the catalogue.
 */
export function testEvent(
  catalogue: Catalogue,
  type: string,
  payload?: Record<string, unknown>,
  now = new Date(),
): TestEvent | undefined {
  // A family (`source.github.*`) is a pattern: a test send takes one of its types.
  const entry = type.endsWith('.*') ? undefined : catalogue.get(type);
  if (!entry) return undefined;
  const { previous: _previous, ...data } = entry.example.data;
  const body: EventBody = {
    type,
    timestamp: now.toISOString(),
    data: { ...data, object: payload ?? data.object, source: TEST_SOURCE },
  };
  return { type, recordKind: entry.recordKind, body };
}

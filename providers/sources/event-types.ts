import { z } from 'zod';
import type { EventTypeDefinition } from '../../src/provider';
import type { Source } from './store';

/** Any object: what a source sends is the operator's to describe (`schema`). */
const anyObject = {
  schema: z.object({}).catchall(z.unknown()).describe('The request body, parsed (`{"raw": …}` when it was not JSON).'),
  example: { id: 'evt_1', action: 'received', total: 42 },
};

/** Every source's events, whichever sources exist: the family a replay of a deleted source's event still belongs to. */
export const sourceFamily: EventTypeDefinition = {
  type: 'source.*',
  description:
    'A request received from a run-time source, as `source.<name>.<type>`: `data.object` is its parsed body. Each source has its own entry.',
  recordKind: null,
  object: anyObject,
};

/** One source's entry in the catalogue: `source.<name>.*`, with the operator's schema when it has one. */
export const eventTypesOf = (source: Source): EventTypeDefinition[] => [
  {
    type: `source.${source.name}.*`,
    description: source.description
      ? `From the source "${source.name}": ${source.description}`
      : `A request received from the source "${source.name}", typed by its ${source.eventTypePath ? `\`${source.eventTypePath}\`` : 'default type (`received`)'}.`,
    recordKind: null,
    object: anyObject,
    ...(source.schema ? { objectJsonSchema: source.schema } : {}),
  },
];

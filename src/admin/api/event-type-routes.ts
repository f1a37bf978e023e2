import type { Catalogue } from '../../events/catalogue';
import { NotFoundError } from '../../errors/hookport-error';
import { nearestNames } from '../../events/type-patterns';
import { eventTypeEntrySchema, eventTypeListSchema, eventTypeParamsSchema } from './event-schemas';
import { route, type AdminRoute } from '../../contract/admin-route';
import { errorAnswerSchema } from './schemas';

/** The event catalogue: every type Hookport can emit, with its description, JSON Schema and example. */
export function eventTypeRoutes({ catalogue }: { catalogue: Catalogue }): AdminRoute[] {
  const types = catalogue.entries.map((e) => e.type);
  return [
    route({
      method: 'get',
      path: '/event-types',
      summary: 'Every event type Hookport can emit, sorted by type, each with its description, JSON Schema and example',
      responses: { 200: { description: 'the catalogue', schema: eventTypeListSchema } },
      async handle() {
        return { status: 200, body: { eventTypes: catalogue.entries } };
      },
    }),
    route({
      method: 'get',
      path: '/event-types/:type',
      summary: 'One event type of the catalogue',
      params: eventTypeParamsSchema,
      responses: {
        200: { description: 'the type', schema: eventTypeEntrySchema },
        404: { description: 'not a type Hookport emits', schema: errorAnswerSchema },
      },
      async handle({ params }) {
        const entry = catalogue.get(params.type);
        if (entry) return { status: 200, body: entry };
        const nearest = nearestNames(params.type, types);
        const hint = nearest.length > 0 ? `; did you mean ${nearest.join(', ')}?` : '';
        throw new NotFoundError(`"${params.type}" is not an event type Hookport emits${hint}`);
      },
    }),
  ];
}

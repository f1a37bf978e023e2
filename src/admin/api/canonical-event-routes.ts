import type { Db } from '../../db/client';
import { NotFoundError } from '../../errors/hookport-error';
import { getCanonicalEvent, listCanonicalEvents } from '../../records/canonical-list';
import {
  canonicalEventDetail,
  canonicalEventPageSchema,
  canonicalEventParamsSchema,
  listCanonicalEventsQuerySchema,
} from './event-schemas';
import { route, type AdminRoute } from '../../contract/admin-route';
import { errorAnswerSchema } from './schemas';

/** The pull API: the canonical events Hookport emitted, newest first, each with the body its deliveries carry. */
export function canonicalEventRoutes({ db }: { db: Db }): AdminRoute[] {
  return [
    route({
      method: 'get',
      path: '/canonical-events',
      summary: 'The events Hookport emitted, newest first, cursor-paged: catch up after an outage',
      query: listCanonicalEventsQuerySchema,
      responses: { 200: { description: 'a page of events', schema: canonicalEventPageSchema } },
      async handle({ query }) {
        const since = query.since === undefined ? undefined : new Date(query.since);
        return { status: 200, body: await listCanonicalEvents(db, { ...query, since }) };
      },
    }),
    route({
      method: 'get',
      path: '/canonical-events/:id',
      summary: 'One emitted event with its body and its deliveries',
      params: canonicalEventParamsSchema,
      responses: {
        200: { description: 'the event', schema: canonicalEventDetail },
        404: { description: 'no such event', schema: errorAnswerSchema },
      },
      async handle({ params }) {
        const event = await getCanonicalEvent(db, params.id);
        if (!event) throw new NotFoundError('no canonical event with that id');
        return { status: 200, body: event };
      },
    }),
  ];
}

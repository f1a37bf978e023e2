import type { Db } from '../../db/client';
import { ConflictError, NotFoundError } from '../../errors/hookport-error';
import { getEvent, listEvents } from '../../inbox/event-list';
import { replayEvent, replayMatching } from '../../inbox/replay';
import { providerStats } from '../../activity/provider-stats';
import { audited, recordAudit } from '../../audit/record';
import { route, type AdminRoute } from '../../contract/admin-route';
import {
  errorAnswerSchema,
  eventDetail,
  eventIdParamsSchema,
  eventPageSchema,
  listEventsQuerySchema,
  replayAcceptedSchema,
  replayFilterBodySchema,
  replayResultSchema,
  statsQuerySchema,
  statsReportSchema,
} from './schemas';

export interface EventRoutesContext {
  db: Db;
  /** The names events are stored under now (a source's is `source:<name>`). */
  providers: () => Promise<readonly string[]>;
  /** Nudges the worker to take replayed events now rather than at its next sweep. */
  wake: () => void;
}

const asDate = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));
const notFound = (): never => {
  throw new NotFoundError('no inbox event with that id');
};

/** The inbox routes: list, show, replay one, replay by filter, stats. */
export function eventRoutes({ db, providers, wake }: EventRoutesContext): AdminRoute[] {
  return [
    route({
      method: 'get',
      path: '/events',
      summary: 'Inbox events, newest first, filtered and cursor-paged',
      query: listEventsQuerySchema,
      responses: { 200: { description: 'a page of events', schema: eventPageSchema } },
      async handle({ query }) {
        return {
          status: 200,
          body: await listEvents(db, { ...query, since: asDate(query.since), until: asDate(query.until) }),
        };
      },
    }),
    route({
      method: 'get',
      path: '/events/:id',
      summary: 'One inbox event with its headers, raw body and canonical events',
      params: eventIdParamsSchema,
      responses: {
        200: { description: 'the event', schema: eventDetail },
        404: { description: 'no such event', schema: errorAnswerSchema },
      },
      async handle({ params }) {
        const event = await getEvent(db, params.id);
        return event ? { status: 200, body: event } : notFound();
      },
    }),
    route({
      method: 'post',
      path: '/events/:id/replay',
      summary: 'Process one event again from its stored bytes, with a fresh attempt count',
      params: eventIdParamsSchema,
      responses: {
        202: { description: 'queued', schema: replayAcceptedSchema },
        404: { description: 'no such event', schema: errorAnswerSchema },
        409: { description: 'a worker is processing it now; replay it once it settles', schema: errorAnswerSchema },
      },
      async handle({ params, by }) {
        const outcome = await audited(
          db,
          (tx) => replayEvent(tx, params.id),
          (o) => (o === 'replayed' ? { by, action: 'event.replay', target: params.id } : null),
        );
        if (outcome === 'not_found') notFound();
        if (outcome === 'in_flight') {
          throw new ConflictError('a worker is processing this event now; replay it once it settles');
        }
        wake();
        return { status: 202, body: { id: params.id, status: 'pending' } };
      },
    }),
    route({
      method: 'post',
      path: '/events/replay',
      summary: 'Process again every event that matches a filter (at least one), or count them (dryRun)',
      body: replayFilterBodySchema,
      responses: { 200: { description: 'how many matched and were queued', schema: replayResultSchema } },
      async handle({ body, by }) {
        const { dryRun, since, until, ...rest } = body;
        const result = await replayMatching(db, { ...rest, since: asDate(since), until: asDate(until) }, { dryRun });
        // Right after: the replay runs in short transactions of its own, so ingest never waits on one long one.
        if (!dryRun)
          await recordAudit(db, {
            by,
            action: 'event.replay_bulk',
            detail: { filter: { ...rest, since, until }, ...result },
          });
        if (result.replayed > 0) wake();
        return { status: 200, body: result };
      },
    }),
    route({
      method: 'get',
      path: '/stats',
      summary: 'Per provider: answers, statuses and processing-delay percentiles over a window',
      query: statsQuerySchema,
      responses: { 200: { description: 'figures by provider', schema: statsReportSchema } },
      async handle({ query }) {
        return { status: 200, body: await providerStats(db, query.window, await providers()) };
      },
    }),
  ];
}

/*
 * The inbox as an operator reads it: find a webhook, see exactly what arrived, and have it processed
 * again when a fix has shipped (from its stored bytes: the provider is never asked for it twice).
 */

import { UUID } from '../../../text/uuid';
import express from 'express';
import type { Logger } from 'winston';
import type { Db } from '../../../db/client';
import { storedProviderNames, type ProviderRegistry } from '../../../contract/provider';
import type { Config } from '../../../config/config';
import { html } from '../../../html/html';
import { getEvent, listEvents } from '../../../inbox/event-list';
import { replayEvent } from '../../../inbox/replay';
import { audited } from '../../../audit/record';
import { consoleBy } from '../../../audit/actors';
import { firstValues } from '../forms';
import { eventPage } from '../pages/event';
import { eventsPage } from '../pages/events';
import { page, type Screen } from '../render';

export interface EventsOptions {
  config: Config;
  db: Db;
  logger: Logger;
  providers: ProviderRegistry;
  /** Nudges the worker after a replay. */
  wake?: () => void;
}

export function eventsRoutes({ root, send }: Screen, o: EventsOptions): express.Router {
  const { db, logger, providers } = o;
  const router = express.Router();

  router.get(
    '/events',
    page(async (req, res, signed) => {
      const view = await eventsPage({
        db,
        root,
        providers: await storedProviderNames(providers, o),
        query: firstValues(req.query),
        listEvents,
      });
      send(res, view.status, 'Events', view.body, signed, `${root}/events`);
    }),
  );

  router.get(
    '/events/:id',
    page(async (req, res, signed) => {
      const id = String(req.params.id);
      const event = UUID.test(id) ? await getEvent(db, id) : undefined;
      if (!event)
        return send(
          res,
          404,
          'Not found',
          html`<h1>No such event</h1><p><a href="${root}/events">All events</a></p>`,
          signed,
        );
      const notice =
        req.query.replayed === '1'
          ? { text: 'Queued for replay: it is processed again from its stored bytes.' }
          : undefined;
      send(
        res,
        200,
        `Event ${event.eventType}`,
        eventPage({ root, event, csrfField: signed.csrfField }),
        signed,
        `${root}/events`,
        notice,
      );
    }),
  );

  router.post(
    '/events/:id/replay',
    page(async (req, res, signed) => {
      const id = String(req.params.id);
      const outcome = UUID.test(id)
        ? await audited(
            db,
            (tx) => replayEvent(tx, id),
            (o) =>
              o === 'replayed' ? { by: consoleBy(req, signed.session), action: 'event.replay', target: id } : null,
          )
        : 'not_found';
      if (outcome === 'not_found') return send(res, 404, 'Not found', html`<h1>No such event</h1>`, signed);
      if (outcome === 'in_flight') {
        const event = await getEvent(db, id);
        return send(
          res,
          409,
          'Event',
          eventPage({ root, event: event!, csrfField: signed.csrfField }),
          signed,
          `${root}/events`,
          {
            text: 'A worker is processing this event right now; replay it once it has finished.',
            error: true,
          },
        );
      }
      logger.info('console replayed an event', { id });
      o.wake?.();
      res.redirect(303, `${root}/events/${id}?replayed=1`);
    }),
  );
  return router;
}

/* What a subscription can ask for: every event type the providers declare, to look one up before subscribing. */

import express from 'express';
import type { Catalogue } from '../../../events/catalogue';
import { firstValues } from '../forms';
import { eventTypesPage } from '../pages/event-types';
import { page, type Screen } from '../render';

export function eventTypesRoutes({ root, send }: Screen, { catalogue }: { catalogue: Catalogue }): express.Router {
  const router = express.Router();
  router.get(
    '/event-types',
    page(async (req, res, signed) => {
      send(
        res,
        200,
        'Event types',
        eventTypesPage({ root, catalogue, query: firstValues(req.query) }),
        signed,
        `${root}/event-types`,
      );
    }),
  );
  return router;
}

/* Why a message to an address was not sent: the addresses providers told us to stop sending to. */

import express from 'express';
import type { Db } from '../../../db/client';
import { firstValues } from '../forms';
import { suppressionsPage } from '../pages/suppressions';
import { page, type Screen } from '../render';

export function suppressionsRoutes({ root, send }: Screen, { db }: { db: Db }): express.Router {
  const router = express.Router();
  router.get(
    '/suppressions',
    page(async (req, res, signed) => {
      const view = await suppressionsPage({ db, root, query: firstValues(req.query) });
      send(res, view.status, 'Suppressions', view.body, signed, `${root}/suppressions`);
    }),
  );
  return router;
}

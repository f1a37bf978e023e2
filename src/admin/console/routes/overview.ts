/* The console's landing page: what an operator checks first, so it is the root and the first tab. */

import express from 'express';
import { overviewPage, type OverviewOptions } from '../pages/overview';
import { page, type Screen } from '../render';

export function overviewRoutes({ root, send }: Screen, options: Omit<OverviewOptions, 'root'>): express.Router {
  const router = express.Router();
  router.get(
    '/',
    page(async (_req, res, signed) => {
      send(res, 200, 'Overview', await overviewPage({ ...options, root }), signed, root);
    }),
  );
  return router;
}

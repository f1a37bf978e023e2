/* The console's landing page: what an operator checks first, so it is the root and the first tab. */

import express from 'express';
import { z } from 'zod';
import { BUSINESS_WINDOWS } from '../../../figures/days';
import { html } from '../../../html/html';
import { overviewPage, type OverviewOptions } from '../pages/overview';
import { page, type Screen } from '../render';

/** The business figures' window: 7 days unless asked (a chart per day wants more than one day). */
const overviewQuery = z.object({ window: z.enum(BUSINESS_WINDOWS).default('7d') });

export function overviewRoutes({ root, send }: Screen, options: Omit<OverviewOptions, 'root'>): express.Router {
  const router = express.Router();
  router.get(
    '/',
    page(async (req, res, signed) => {
      const query = overviewQuery.safeParse(req.query);
      if (!query.success) {
        const body = html`<h1>Overview</h1><p class="notice error">The window is one of ${BUSINESS_WINDOWS.join(', ')}.</p>`;
        return send(res, 400, 'Overview', body, signed, root);
      }
      send(res, 200, 'Overview', await overviewPage({ ...options, root, window: query.data.window }), signed, root);
    }),
  );
  return router;
}

import type { Db } from '../../db/client';
import type { ProviderRegistry } from '../../contract/provider';
import { route, type AdminRoute } from '../../contract/admin-route';
import { businessFigures } from '../../figures/business';
import { businessFiguresSchema, businessQuerySchema } from './business-schemas';

/** The figures the business watches: SMS delivery, email delivery and engagement, leads. */
export function businessRoutes({ db, providers }: { db: Db; providers: ProviderRegistry }): AdminRoute[] {
  return [
    route({
      method: 'get',
      path: '/stats/business',
      summary:
        'SMS delivery, email delivery, open, click and bounce rates, and leads over a window, with per-day counts',
      query: businessQuerySchema,
      responses: { 200: { description: 'the figures', schema: businessFiguresSchema } },
      async handle({ query }) {
        return { status: 200, body: await businessFigures(db, providers, query.window) };
      },
    }),
  ];
}

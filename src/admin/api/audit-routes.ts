import type { Db } from '../../db/client';
import { listAudit } from '../../audit/list';
import { route, type AdminRoute } from '../../contract/admin-route';
import { auditPageSchema, auditQuerySchema } from './audit-schemas';

/** The audit log of operator actions, newest first. */
export function auditRoutes({ db }: { db: Db }): AdminRoute[] {
  return [
    route({
      method: 'get',
      path: '/audit',
      summary: 'Operator actions (sign-ins, refused ones, replays, subscription and secret changes…), newest first',
      query: auditQuerySchema,
      responses: { 200: { description: 'a page of entries', schema: auditPageSchema } },
      async handle({ query }) {
        return { status: 200, body: await listAudit(db, query) };
      },
    }),
  ];
}

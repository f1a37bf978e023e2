/* Who did what: the audit log of operator actions. */

import express from 'express';
import type { ProviderRegistry } from '../../../contract/provider';
import type { Db } from '../../../db/client';
import { auditActionsOf } from '../../../audit/catalogue';
import { firstValues } from '../forms';
import { auditPage } from '../pages/audit';
import { page, type Screen } from '../render';

export function auditRoutes(
  { root, send }: Screen,
  { db, providers }: { db: Db; providers: ProviderRegistry },
): express.Router {
  const router = express.Router();
  const actions = auditActionsOf(providers);
  router.get(
    '/audit',
    page(async (req, res, signed) => {
      const cursor = firstValues(req.query).cursor || undefined;
      const view = await auditPage({ db, root, cursor, actions });
      send(res, view.status, 'Audit log', view.body, signed, `${root}/audit`);
    }),
  );
  return router;
}

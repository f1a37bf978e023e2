/*
 * The events that ran out of attempts, on their own screen: after an outage they are what needs a
 * decision, and replaying all of them is one confirmed button rather than one event at a time.
 */

import express, { type Request } from 'express';
import type { Logger } from 'winston';
import type { Db } from '../../../db/client';
import { confirmPage } from '../../../html/components';
import { listEvents } from '../../../inbox/event-list';
import { replayMatching } from '../../../inbox/replay';
import { recordAudit } from '../../../audit/record';
import { consoleBy } from '../../../audit/actors';
import { confirmed, firstValues } from '../forms';
import { deadPage } from '../pages/dead';
import { page, type Screen } from '../render';

export interface DeadOptions {
  db: Db;
  logger: Logger;
  /** Nudges the worker after a replay. */
  wake?: () => void;
}

export function deadRoutes({ root, send }: Screen, o: DeadOptions): express.Router {
  const { db, logger } = o;
  const router = express.Router();

  router.get(
    '/dead',
    page(async (req, res, signed) => {
      const view = await deadPage({
        db,
        root,
        csrfField: signed.csrfField,
        listEvents,
        replayMatching,
        query: firstValues(req.query),
      });
      send(res, 200, 'Dead letters', view, signed, `${root}/dead`, deadNotice(req.query));
    }),
  );

  router.post(
    '/dead/replay',
    page(async (req, res, signed) => {
      if (!confirmed(req)) {
        const { matched } = await replayMatching(db, { status: 'dead' }, { dryRun: true });
        const question = `Replay all ${matched} dead event${matched === 1 ? '' : 's'}? Each is processed again from its stored bytes.`;
        return send(
          res,
          200,
          'Confirm',
          confirmPage(question, `${root}/dead/replay`, signed.csrfField, {}, `${root}/dead`),
          signed,
          `${root}/dead`,
        );
      }
      const result = await replayMatching(db, { status: 'dead' }, { dryRun: false });
      // Right after: the replay runs in short transactions of its own.
      const detail = { filter: { status: 'dead' }, ...result };
      await recordAudit(db, { by: consoleBy(req, signed.session), action: 'event.replay_bulk', detail });
      logger.info('console replayed dead events', result);
      o.wake?.();
      res.redirect(303, `${root}/dead?replayed=${result.replayed}`);
    }),
  );
  return router;
}

/** After "replay all": how many went back in the queue (a number from the redirect, never text). */
function deadNotice(query: Request['query']): { text: string } | undefined {
  const replayed = query.replayed;
  if (typeof replayed !== 'string' || !/^\d+$/.test(replayed)) return undefined;
  return { text: `Queued ${replayed} dead event${replayed === '1' ? '' : 's'} for replay.` };
}

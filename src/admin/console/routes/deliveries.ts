/*
 * A failed delivery sent again by hand, from its subscription's page: for a receiver that is fixed
 * now, rather than waiting out the retry schedule.
 */

import { UUID } from '../../../text/uuid';
import express from 'express';
import { retryDelivery } from '../../../deliveries/delivery-log';
import { audited } from '../../../audit/record';
import { consoleBy } from '../../../audit/actors';
import { html } from '../../../html/html';
import { page } from '../render';
import { selfOf, showOne, type SubscriptionScreen } from '../subscription-screen';

export function deliveryRoutes(s: SubscriptionScreen): express.Router {
  const { db, logger, send, listHref } = s;
  const router = express.Router();
  router.post(
    '/subscriptions/:id/deliveries/:delivery/retry',
    page(async (req, res, signed) => {
      const id = String(req.params.id);
      const delivery = String(req.params.delivery);
      // Only a delivery of the subscription the URL names: another one's is not found, and left alone.
      const by = consoleBy(req, signed.session);
      const outcome =
        UUID.test(id) && UUID.test(delivery)
          ? await audited(
              db,
              (tx) => retryDelivery(tx, delivery, id),
              (o) => (o === 'queued' ? { by, action: 'delivery.retry', target: delivery } : null),
            )
          : 'not_found';
      if (outcome === 'not_found')
        return send(
          res,
          404,
          'Not found',
          html`<h1>No such delivery</h1><p><a href="${listHref}">All subscriptions</a></p>`,
          signed,
          listHref,
        );
      if (outcome === 'test_send') {
        return showOne(
          s,
          req,
          res,
          signed,
          {},
          {
            status: 409,
            notice: { text: 'A test send is sent once and not retried: send a new test instead.', error: true },
          },
        );
      }
      if (outcome === 'in_flight') {
        return showOne(
          s,
          req,
          res,
          signed,
          {},
          {
            status: 409,
            notice: {
              text: 'That delivery is being sent right now; retry it once the attempt has finished.',
              error: true,
            },
          },
        );
      }
      logger.info('console retried a delivery', { id: delivery });
      s.deliveries.wake();
      res.redirect(303, `${selfOf(s, req)}?done=retried`);
    }),
  );
  return router;
}

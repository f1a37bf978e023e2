/*
 * The console's subscription pages, over the same functions the admin API's subscription routes
 * call (and the same request schemas, so a form is refused exactly as the API would refuse it).
 */

import { UUID } from '../../../text/uuid';
import express from 'express';
import { createSubscription } from '../../../deliveries/subscriptions';
import { audited } from '../../../audit/record';
import { consoleBy } from '../../../audit/actors';
import { subscriptionCreated } from '../../../audit/subscription-entries';
import { duration } from '../../../html/components';
import { checkNewSubscription, createSubscriptionBodySchema, isRefusal } from '../../api/subscription-schemas';
import { page, type Screen } from '../render';
import { formOf, jsonText, NO_TYPES, problemOf, refusalText, secretOf, typesOf } from '../subscription-form';
import {
  checkUrl,
  listView,
  showOne,
  showSecretOnce,
  takeSecret,
  type SubscriptionScreen,
  type SubscriptionsOptions,
} from '../subscription-screen';
import { deliveryRoutes } from './deliveries';
import { subscriptionActionRoutes } from './subscription-actions';

/** Fixed notices after a redirect (the query names one; its text is never taken from the request). */
const NOTICES: Record<string, string> = {
  enabled: 'Enabled: deliveries that waited are being sent.',
  disabled: 'Disabled: new deliveries wait until it is enabled again.',
  created:
    'Subscription created. Slack messages are not signed, so there is no secret: the URL itself is the credential.',
  updated: 'Saved.',
  retried: 'Queued: the delivery is sent again now, with a fresh retry schedule.',
  deleted: 'Subscription deleted.',
};

export function subscriptionsRoutes(screen: Screen, options: SubscriptionsOptions): express.Router {
  const listHref = `${screen.root}/subscriptions`;
  const s: SubscriptionScreen = { ...screen, ...options, listHref, overlap: duration(options.config.secretOverlapMs) };
  const { db, logger, send } = s;
  const title = 'Subscriptions';
  const router = express.Router();

  router.get(
    '/subscriptions',
    page(async (req, res, signed) => {
      const notice = req.query.done === 'deleted' ? { text: NOTICES.deleted! } : undefined;
      send(res, 200, title, await listView(s, signed), signed, listHref, notice);
    }),
  );

  router.post(
    '/subscriptions',
    page(async (req, res, signed) => {
      const form = formOf(req);
      const refuse = async (why: string) =>
        send(res, 400, title, await listView(s, signed, form, why), signed, listHref);
      if (typesOf(form.eventTypes).length === 0) return refuse(NO_TYPES);
      const filter = jsonText(form.filter, 'Filter');
      if ('error' in filter) return refuse(filter.error);
      const secret = secretOf(req);
      const parsed = createSubscriptionBodySchema.safeParse({
        kind: form.kind,
        url: form.url,
        eventTypes: typesOf(form.eventTypes),
        description: form.description === '' ? null : form.description,
        // The select always sends a mode; it means something for a webhook only.
        ...(form.kind === 'slack' ? {} : { signing: form.signing }),
        ...(secret !== undefined ? { secret } : {}),
        ...(filter.value !== undefined ? { filter: filter.value } : {}),
      });
      if (!parsed.success) return refuse(problemOf(parsed.error.issues));
      const checked = checkNewSubscription(s.catalogue, parsed.data);
      if (isRefusal(checked)) return refuse(refusalText(checked));
      const why = await checkUrl(s, parsed.data.url, parsed.data.kind);
      if (why) return refuse(`URL not allowed: ${why}`);
      const { secret: _typed, ...rest } = parsed.data;
      const created = await audited(
        db,
        (tx) => createSubscription(tx, s.box, { ...rest, ...checked, ...(secret !== undefined ? { secret } : {}) }),
        subscriptionCreated(consoleBy(req, signed.session), secret !== undefined),
      );
      logger.info('console created a subscription', { id: created.id, kind: created.kind, signing: created.signing });
      if (created.secret === null) return res.redirect(303, `${listHref}/${created.id}?done=created`);
      await showSecretOnce(s, res, signed, created.id, { why: 'created', secret: created.secret });
    }),
  );

  router.get(
    '/subscriptions/:id',
    page(async (req, res, signed) => {
      const done = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
      const id = String(req.params.id);
      // A secret left by the POST that redirected here: shown this once, gone on a reload (a HEAD does not take it).
      const secret = UUID.test(id) && req.method === 'GET' ? await takeSecret(s, signed, id) : undefined;
      await showOne(s, req, res, signed, secret ? { secret } : {}, { notice: done ? { text: done } : undefined });
    }),
  );

  router.use(subscriptionActionRoutes(s));
  router.use(deliveryRoutes(s));
  return router;
}

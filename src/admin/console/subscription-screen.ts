/*
 * What every subscription route shares: the two pages they end on (the list and one subscription,
 * so a refused form, a 404 and a redirect's notice look the same whichever button led there), the
 * secret shown once, and the destination check the API applies too.
 */

import { UUID } from '../../text/uuid';
import type { Request, Response } from 'express';
import type { Logger } from 'winston';
import type { DeliveryConfig } from '../../config/config';
import type { Db } from '../../db/client';
import type { SecretBox } from '../../crypto/secret-box';
import { DELIVERY_STATUSES, type DeliveryStatus, type SubscriptionKind } from '../../db/tables/deliveries';
import { listDeliveries } from '../../deliveries/delivery-log';
import type { DeliveryHttpClient } from '../../deliveries/http-client';
import type { Resolver } from '../../deliveries/network-guard';
import { subscriptionStats, subscriptionsStats } from '../../deliveries/stats';
import { getSubscription, listSubscriptions } from '../../deliveries/subscriptions';
import { destinationNotAllowed } from '../../deliveries/url-check';
import type { Catalogue } from '../../events/catalogue';
import { html } from '../../html/html';
import { InvalidCursorError } from '../../errors/hookport-error';
import { setFlash, takeFlash } from '../session-flash';
import {
  subscriptionPage,
  subscriptionsPage,
  type SubscriptionForm,
  type SubscriptionPageOptions,
} from './pages/subscriptions';
import type { Notice, Screen, Signed } from './render';

/** Outbound deliveries: the client test sends go out through, the delivery worker's nudge, name resolution. */
export interface Deliveries {
  http: DeliveryHttpClient;
  wake: () => void;
  resolve?: Resolver;
}

/** What the subscription routes are given by the console. */
export interface SubscriptionsOptions {
  db: Db;
  config: DeliveryConfig;
  logger: Logger;
  deliveries: Deliveries;
  /** The event catalogue: subscription types are checked against it, test sends built from it. */
  catalogue: Catalogue;
  /** Seals and opens the stored secrets, Slack URLs and flashes. */
  box: SecretBox;
}

/** What the subscription routes share: the screen, what they are given, and where the list is. */
export interface SubscriptionScreen extends Screen, SubscriptionsOptions {
  listHref: string;
  /** How long a rotated secret keeps working, as the pages say it. */
  overlap: string;
}

const PAGE_SIZE = 25;

export async function listView(s: SubscriptionScreen, signed: Signed, form?: SubscriptionForm, error?: string) {
  const subscriptions = await listSubscriptions(s.db, s.box);
  // One query for the whole list, however many subscriptions there are.
  const stats = await subscriptionsStats(
    s.db,
    subscriptions.map((x) => x.id),
    '24h',
  );
  return subscriptionsPage({
    root: s.root,
    csrfField: signed.csrfField,
    rows: subscriptions.map((x) => ({ s: x, stats: stats.get(x.id)! })),
    form,
    error,
  });
}

/** One subscription's page, or a 404 page; `extra` carries a secret, a test result or a refused edit. */
export async function showOne(
  o: SubscriptionScreen,
  req: Request,
  res: Response,
  signed: Signed,
  extra: Partial<Pick<SubscriptionPageOptions, 'secret' | 'test' | 'edit' | 'testForm'>> = {},
  answer: { status?: number; notice?: Notice } = {},
): Promise<void> {
  const { root, db, send, listHref, overlap } = o;
  const id = String(req.params.id);
  const s = UUID.test(id) ? await getSubscription(db, o.box, id) : undefined;
  if (!s)
    return send(
      res,
      404,
      'Not found',
      html`<h1>No such subscription</h1><p><a href="${listHref}">All subscriptions</a></p>`,
      signed,
      listHref,
    );
  // Only a GET pages and filters; a POST's answer shows the newest deliveries.
  const q = req.method === 'GET' ? req.query : {};
  const status =
    typeof q.status === 'string' && (DELIVERY_STATUSES as readonly string[]).includes(q.status)
      ? (q.status as DeliveryStatus)
      : undefined;
  const cursor = typeof q.cursor === 'string' && q.cursor !== '' ? q.cursor : undefined;
  let deliveries: SubscriptionPageOptions['deliveries'];
  let notice = answer.notice;
  let code = answer.status ?? 200;
  try {
    deliveries = await listDeliveries(db, s.id, { status, limit: PAGE_SIZE, cursor });
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
    deliveries = { deliveries: [], nextCursor: null };
    notice = { text: 'That page link is no longer valid; start from the newest deliveries.', error: true };
    code = 400;
  }
  const stats = await subscriptionStats(db, s.id, '24h');
  const tested = typeof q.tested === 'string' ? deliveries.deliveries.find((d) => d.id === q.tested) : undefined;
  if (tested && !extra.test) {
    extra = {
      ...extra,
      test: {
        deliveryId: tested.id,
        status: tested.status,
        responseStatus: tested.responseStatus,
        durationMs: tested.durationMs ?? 0,
        error: tested.lastError,
      },
      // The picker keeps the type just sent.
      testForm: extra.testForm ?? { eventType: tested.eventType, payload: '' },
    };
  }
  const eventTypes = o.catalogue.entries.map((e) => e.type);
  const body = subscriptionPage({
    root,
    csrfField: signed.csrfField,
    s,
    stats,
    deliveries,
    status,
    cursor,
    overlap,
    eventTypes,
    ...extra,
  });
  send(res, code, `Subscription ${s.url}`, body, signed, listHref, notice);
}

/** Why deliveries may not go to this URL (private networks, unresolvable names), or nothing. */
export const checkUrl = (s: SubscriptionScreen, url: string, kind: SubscriptionKind) =>
  destinationNotAllowed(url, kind, {
    allowPrivateNetworks: s.config.allowPrivateNetworks,
    resolve: s.deliveries.resolve,
  });

/** The page of the subscription a request names. */
export const selfOf = (s: SubscriptionScreen, req: Request) => `${s.listHref}/${String(req.params.id)}`;

/** A secret a POST produced (created, rotated, asked for), left in the session for its subscription's page. */
export type SecretFlash = NonNullable<SubscriptionPageOptions['secret']>;
const secretFlashKey = (subscriptionId: string) => `subscription-secret:${subscriptionId}`;

/** Post/redirect/get: the secret goes to the session, the browser to the page that shows it once. */
export async function showSecretOnce(
  s: SubscriptionScreen,
  res: Response,
  signed: Signed,
  id: string,
  secret: SecretFlash,
): Promise<void> {
  await setFlash(s.db, s.box, signed.session.tokenHash, secretFlashKey(id), secret);
  res.redirect(303, `${s.listHref}/${id}`);
}

/** The secret left for this subscription's page, taken (a reload finds none). */
export const takeSecret = (s: SubscriptionScreen, signed: Signed, id: string) =>
  takeFlash<SecretFlash>(s.db, s.box, signed.session.tokenHash, secretFlashKey(id));

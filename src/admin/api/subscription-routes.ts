import type { Logger } from 'winston';
import { ConflictError, HookportError, InvalidRequestError, NotFoundError } from '../../errors/hookport-error';
import { z } from 'zod';
import type { DeliveryConfig } from '../../config/config';
import type { Db } from '../../db/client';
import { listDeliveries, retryDelivery } from '../../deliveries/delivery-log';
import type { DeliveryHttpClient } from '../../deliveries/http-client';
import type { Resolver } from '../../deliveries/network-guard';
import { subscriptionStats } from '../../deliveries/stats';
import {
  createSubscription,
  deleteSubscription,
  getSecrets,
  getSubscription,
  listSubscriptions,
  rotateSecret,
  updateSubscription,
} from '../../deliveries/subscriptions';
import { destinationNotAllowed } from '../../deliveries/url-check';
import { sendTestDelivery } from '../../deliveries/test-send';
import type { SubscriptionKind } from '../../db/tables/deliveries';
import { route, type AdminRoute } from '../../contract/admin-route';
import { errorAnswerSchema } from './schemas';
import {
  checkedFilter,
  checkNewSubscription,
  createdSubscription,
  createSubscriptionBodySchema,
  deliveryIdParamsSchema,
  deliveryPageSchema,
  eventTypesRefusal,
  isRefusal,
  listDeliveriesQuerySchema,
  refusalAnswer,
  retryQueuedSchema,
  rotatedSecretSchema,
  rotateSecretBodySchema,
  secretRefusal,
  subscriptionIdParamsSchema,
  subscriptionListSchema,
  subscriptionSecretSchema,
  subscriptionStatsSchema,
  subscriptionStatsQuerySchema,
  subscriptionViewSchema,
  testSendBodySchema,
  testEventOf,
  testSendResultSchema,
  updateSubscriptionBodySchema,
  type SubscriptionRefusal,
} from './subscription-schemas';

import type { Catalogue } from '../../events/catalogue';
import { audited, recordAudit } from '../../audit/record';
import {
  secretRevealed,
  secretRotated,
  subscriptionCreated,
  subscriptionDeleted,
  subscriptionUpdated,
  testSent,
} from '../../audit/subscription-entries';
import { operationalTeller } from '../../operational/delivery-events';
import type { SecretBox } from '../../crypto/secret-box';

export interface SubscriptionRoutesContext {
  db: Db;
  config: DeliveryConfig;
  logger: Logger;
  /** The delivery worker's client (test sends go out through it, guard included). */
  http: DeliveryHttpClient;
  /** Nudges the delivery worker (retry now, re-enabling). */
  wake: () => void;
  /** Name resolution for the URL check (tests). */
  resolve?: Resolver;
  /** The event catalogue: subscription types are checked against it, test sends built from it. */
  catalogue: Catalogue;
  /** Seals and opens the stored secrets and Slack URLs. */
  box: SecretBox;
}

const notFound = (what: string) => new NotFoundError(`no ${what} with that id`);
const noSubscription = (): never => {
  throw notFound('subscription');
};
const notFoundResponse = { 404: { description: 'no such subscription', schema: errorAnswerSchema } };
const urlRefused = {
  400: {
    description:
      'invalid_request (a bad body, filter or own secret), unknown_event_type (a type not in the catalogue), or url_not_allowed: not http(s), or on a non-public network',
    schema: errorAnswerSchema,
  },
};
const refused = (r: SubscriptionRefusal): never => {
  const { error, message } = refusalAnswer(r);
  throw new HookportError(error, message);
};

/** The subscription and delivery routes (contract: "Outbound deliveries"). */
export function subscriptionRoutes(ctx: SubscriptionRoutesContext): AdminRoute[] {
  const { db, config, box } = ctx;
  const checkUrl = async (url: string, kind: SubscriptionKind): Promise<void> => {
    const why = await destinationNotAllowed(url, kind, {
      allowPrivateNetworks: config.allowPrivateNetworks,
      resolve: ctx.resolve,
    });
    if (why) throw new HookportError('url_not_allowed', why);
  };
  return [
    route({
      method: 'post',
      path: '/subscriptions',
      summary:
        'Create a subscription (its types checked against the catalogue, its filter and own secret validated); the answer carries its signing secret',
      body: createSubscriptionBodySchema,
      responses: { 201: { description: 'created, enabled', schema: createdSubscription }, ...urlRefused },
      async handle({ body, by }) {
        const checked = checkNewSubscription(ctx.catalogue, body);
        if (isRefusal(checked)) return refused(checked);
        await checkUrl(body.url, body.kind);
        const { secret, ...rest } = body;
        return {
          status: 201,
          body: await audited(
            db,
            (tx) => createSubscription(tx, box, { ...rest, ...checked, ...(secret !== undefined ? { secret } : {}) }),
            subscriptionCreated(by, secret !== undefined),
          ),
        };
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions',
      summary: 'Every subscription, newest first (without secrets)',
      responses: { 200: { description: 'the subscriptions', schema: subscriptionListSchema } },
      async handle() {
        return { status: 200, body: { subscriptions: await listSubscriptions(db, box) } };
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions/:id',
      summary: 'One subscription (without its secret)',
      params: subscriptionIdParamsSchema,
      responses: { 200: { description: 'the subscription', schema: subscriptionViewSchema }, ...notFoundResponse },
      async handle({ params }) {
        const s = await getSubscription(db, box, params.id);
        return s ? { status: 200, body: s } : noSubscription();
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions/:id/secret',
      summary: 'The signing secret, and the previous one while a rotation overlap lasts',
      params: subscriptionIdParamsSchema,
      responses: { 200: { description: 'the secrets', schema: subscriptionSecretSchema }, ...notFoundResponse },
      async handle({ params, by }) {
        const s = await audited(db, (tx) => getSecrets(tx, box, params.id), secretRevealed(by, params.id));
        return s ? { status: 200, body: s } : noSubscription();
      },
    }),
    route({
      method: 'patch',
      path: '/subscriptions/:id',
      summary:
        'Change url, eventTypes, filter (null removes it), enabled or description; enabling clears disabledReason and sends what waited. Nothing changes on a 400',
      params: subscriptionIdParamsSchema,
      body: updateSubscriptionBodySchema,
      responses: {
        200: { description: 'the subscription as changed', schema: subscriptionViewSchema },
        ...urlRefused,
        ...notFoundResponse,
      },
      async handle({ params, body, by }) {
        const types = eventTypesRefusal(ctx.catalogue, body.eventTypes);
        if (types) return refused(types);
        const filter = checkedFilter(body.filter);
        if (isRefusal(filter)) return refused(filter);
        if (body.url !== undefined) {
          const current = await getSubscription(db, box, params.id);
          if (!current) return noSubscription();
          await checkUrl(body.url, current.kind);
        }
        const s = await audited(
          db,
          (tx) => updateSubscription(tx, box, params.id, { ...body, filter: filter.filter }),
          subscriptionUpdated(by, params.id, body),
        );
        if (!s) return noSubscription();
        if (body.enabled === true) ctx.wake();
        return { status: 200, body: s };
      },
    }),
    route({
      method: 'delete',
      path: '/subscriptions/:id',
      summary: 'Delete a subscription: it stops at once and its unsent deliveries are never sent',
      params: subscriptionIdParamsSchema,
      responses: { 204: { description: 'deleted', schema: z.object({}).strict() }, ...notFoundResponse },
      async handle({ params, by }) {
        const deleted = await audited(
          db,
          (tx) => deleteSubscription(tx, params.id),
          subscriptionDeleted(by, params.id),
        );
        return deleted ? { status: 204, body: {} } : noSubscription();
      },
    }),
    route({
      method: 'post',
      path: '/subscriptions/:id/rotate-secret',
      summary:
        'A new signing secret (optionally your own, {"secret"}); in standard-webhooks mode deliveries carry signatures with both for DELIVERY_SECRET_OVERLAP, in the HMAC modes the new one signs alone at once',
      params: subscriptionIdParamsSchema,
      body: rotateSecretBodySchema,
      responses: {
        200: { description: 'the new secret', schema: rotatedSecretSchema },
        400: {
          description:
            "a secret that cannot sign in the subscription's mode, or a Slack subscription (not signed: no secret)",
          schema: errorAnswerSchema,
        },
        ...notFoundResponse,
      },
      async handle({ params, body, by }) {
        const s = await getSubscription(db, box, params.id);
        if (!s) return noSubscription();
        if (s.signing === null)
          throw new InvalidRequestError('Slack subscriptions are not signed: there is no secret to rotate');
        const bad = secretRefusal(s.signing, body.secret);
        if (bad) return refused(bad);
        const r = await audited(
          db,
          (tx) => rotateSecret(tx, box, params.id, config.secretOverlapMs, body.secret),
          secretRotated(by, params.id, body.secret !== undefined),
        );
        return r ? { status: 200, body: r } : noSubscription();
      },
    }),
    route({
      method: 'post',
      path: '/subscriptions/:id/test',
      summary:
        "Send a test event now, signed in the subscription's mode, and answer with the outcome (no retries): of eventType (default webhook.test), its data.object the catalogue example's or payload",
      params: subscriptionIdParamsSchema,
      body: testSendBodySchema,
      responses: {
        200: { description: 'what the receiver answered', schema: testSendResultSchema },
        400: {
          description: 'invalid_request, or unknown_event_type: eventType is not a catalogue type',
          schema: errorAnswerSchema,
        },
        ...notFoundResponse,
      },
      async handle({ params, body, by }) {
        const test = testEventOf(ctx.catalogue, body);
        if ('error' in test) throw new HookportError(test.error, test.message);
        const result = await sendTestDelivery(
          { db, box, tell: operationalTeller(box), config, http: ctx.http, logger: ctx.logger },
          params.id,
          test,
        );
        // Right after: the send is an HTTP call, not a change to join.
        const entry = testSent(by, params.id, test.type)(result);
        if (entry) await recordAudit(db, entry);
        return result ? { status: 200, body: result } : noSubscription();
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions/:id/deliveries',
      summary: "A subscription's deliveries, newest first, by status, cursor-paged",
      params: subscriptionIdParamsSchema,
      query: listDeliveriesQuerySchema,
      responses: { 200: { description: 'a page of deliveries', schema: deliveryPageSchema }, ...notFoundResponse },
      async handle({ params, query }) {
        if (!(await getSubscription(db, box, params.id))) return noSubscription();
        return { status: 200, body: await listDeliveries(db, params.id, query) };
      },
    }),
    route({
      method: 'get',
      path: '/subscriptions/:id/stats',
      summary: 'Attempts, successes, failures, success rate and attempt-duration percentiles over a window',
      params: subscriptionIdParamsSchema,
      query: subscriptionStatsQuerySchema,
      responses: { 200: { description: 'the figures', schema: subscriptionStatsSchema }, ...notFoundResponse },
      async handle({ params, query }) {
        if (!(await getSubscription(db, box, params.id))) return noSubscription();
        return { status: 200, body: await subscriptionStats(db, params.id, query.window) };
      },
    }),
    route({
      method: 'post',
      path: '/deliveries/:id/retry',
      summary: 'Send a delivery again now (a dead one too), with a fresh attempt count',
      params: deliveryIdParamsSchema,
      responses: {
        202: { description: 'queued', schema: retryQueuedSchema },
        404: { description: 'no such delivery', schema: errorAnswerSchema },
        409: {
          description: 'it is being sent now, or it was a test send (send a new test instead)',
          schema: errorAnswerSchema,
        },
      },
      async handle({ params, by }) {
        const outcome = await audited(
          db,
          (tx) => retryDelivery(tx, params.id),
          (o) => (o === 'queued' ? { by, action: 'delivery.retry', target: params.id } : null),
        );
        if (outcome === 'not_found') throw notFound('delivery');
        if (outcome === 'test_send')
          throw new ConflictError(
            'a test send is sent once and not retried; send a new test (POST /admin/api/subscriptions/:id/test)',
          );
        if (outcome === 'in_flight') throw new ConflictError('this delivery is being sent now');
        ctx.wake();
        return { status: 202, body: { id: params.id, status: 'pending' } };
      },
    }),
  ];
}

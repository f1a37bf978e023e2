import type express from 'express';
import type { Catalogue } from '../../events/catalogue';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'winston';
import type { DeliveryConfig } from '../../config/config';
import type { Db } from '../../db/client';
import { DELIVERY_STATUSES, type DeliveryStatus, type SubscriptionKind } from '../../db/tables/deliveries';
import { listDeliveries, retryDelivery } from '../../deliveries/delivery-log';
import type { DeliveryHttpClient } from '../../deliveries/http-client';
import type { Resolver } from '../../deliveries/network-guard';
import { subscriptionStats, subscriptionsStats } from '../../deliveries/stats';
import {
  createSubscription,
  deleteSubscription,
  getSecrets,
  getSubscription,
  listSubscriptions,
  rotateSecret,
  updateSubscription,
} from '../../deliveries/subscriptions';
import { sendTestDelivery } from '../../deliveries/test-send';
import { destinationNotAllowed } from '../../deliveries/url-check';
import {
  checkedFilter,
  checkNewSubscription,
  createSubscriptionBodySchema,
  eventTypesRefusal,
  isRefusal,
  rotateSecretBodySchema,
  secretRefusal,
  testEventOf,
  testSendBodySchema,
  updateSubscriptionBodySchema,
  type SubscriptionRefusal,
} from '../api/subscription-schemas';
import { InvalidCursorError } from '../../errors/hookport-error';
import { setFlash, takeFlash } from '../session-flash';
import { confirmPage, duration } from '../../html/components';
import { html, type Html } from '../../html/html';
import {
  deleteQuestion,
  rotateQuestion,
  subscriptionPage,
  subscriptionsPage,
  type SubscriptionForm,
  type SubscriptionPageOptions,
  type TestSendForm,
} from './pages/subscriptions';

interface Signed {
  csrfField: Html;
  session: { tokenHash: string };
}

type Send = (res: Response, status: number, title: string, body: Html, signed?: Signed, current?: string, notice?: { text: string; error?: boolean }) => void;
type Page = (handler: (req: Request, res: Response, signed: Signed) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => void;

export interface SubscriptionConsoleOptions {
  root: string;
  db: Db;
  config: DeliveryConfig;
  logger: Logger;
  deliveries: { http: DeliveryHttpClient; wake: () => void; resolve?: Resolver };
  /** The event catalogue: subscription types are checked against it, test sends built from it. */
  catalogue: Catalogue;
  send: Send;
  page: Page;
}

const PAGE_SIZE = 25;
const NO_TYPES = 'Event types: give at least one, e.g. lead.created, invoice.* (or * for every event).';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The forms' fields by the names the API gives them, as the console labels them. */
const LABELS: Record<string, string> = {
  kind: 'Kind',
  url: 'URL',
  eventTypes: 'Event types',
  description: 'Description',
  signing: 'Signing',
  secret: 'Secret',
  filter: 'Filter',
  eventType: 'Event type',
  payload: 'Payload',
};
const refusalText = (r: SubscriptionRefusal) => `${LABELS[r.field]}: ${r.problem}`;

/**
 * A JSON textarea: empty is absent (undefined), else the parsed value, or why it is not JSON. The
 * parser's message is kept out (it may quote the text); only where it stopped is named.
 */
function jsonText(text: string, label: string): { value: unknown } | { error: string } {
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    return { error: `${label}: not valid JSON${at === undefined ? '' : ` (near character ${Number(at) + 1})`}; write a JSON object, e.g. {"data": {"object": {"status": "delivered"}}}` };
  }
}

/** A secret a POST produced (created, rotated, asked for), left in the session for its subscription's page. */
type SecretFlash = NonNullable<SubscriptionPageOptions['secret']>;
const secretFlashKey = (subscriptionId: string) => `subscription-secret:${subscriptionId}`;

/** Fixed notices after a redirect (the query names one; its text is never taken from the request). */
const NOTICES: Record<string, string> = {
  enabled: 'Enabled: deliveries that waited are being sent.',
  disabled: 'Disabled: new deliveries wait until it is enabled again.',
  created: 'Subscription created. Slack messages are not signed, so there is no secret: the URL itself is the credential.',
  updated: 'Saved.',
  retried: 'Queued: the delivery is sent again now, with a fresh retry schedule.',
  deleted: 'Subscription deleted.',
};

/**
 * The console's subscription pages, over the same functions the admin API's subscription routes
 * call (and the same request schemas, so a form is refused exactly as the API would refuse it).
 */
export function subscriptionConsole(router: express.Router, o: SubscriptionConsoleOptions): void {
  const { root, db, config, logger, send, page } = o;
  const listHref = `${root}/subscriptions`;
  const title = 'Subscriptions';
  const overlap = duration(config.secretOverlapMs);

  const listView = async (signed: Signed, form?: SubscriptionForm, error?: string) => {
    const subscriptions = await listSubscriptions(db);
    // One query for the whole list, however many subscriptions there are.
    const stats = await subscriptionsStats(db, subscriptions.map((s) => s.id), '24h');
    return subscriptionsPage({ root, csrfField: signed.csrfField, rows: subscriptions.map((s) => ({ s, stats: stats.get(s.id)! })), form, error });
  };

  /** One subscription's page, or a 404 page; `extra` carries a secret, a test result or a refused edit. */
  const showOne = async (
    req: Request,
    res: Response,
    signed: Signed,
    extra: Partial<Pick<SubscriptionPageOptions, 'secret' | 'test' | 'edit' | 'testForm'>> = {},
    answer: { status?: number; notice?: { text: string; error?: boolean } } = {},
  ) => {
    const id = String(req.params.id);
    const s = UUID.test(id) ? await getSubscription(db, id) : undefined;
    if (!s) return send(res, 404, 'Not found', html`<h1>No such subscription</h1><p><a href="${listHref}">All subscriptions</a></p>`, signed, listHref);
    // Only a GET pages and filters; a POST's answer shows the newest deliveries.
    const q = req.method === 'GET' ? req.query : {};
    const status = typeof q.status === 'string' && (DELIVERY_STATUSES as readonly string[]).includes(q.status) ? (q.status as DeliveryStatus) : undefined;
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
        test: { deliveryId: tested.id, status: tested.status, responseStatus: tested.responseStatus, durationMs: tested.durationMs ?? 0, error: tested.lastError },
        // The picker keeps the type just sent.
        testForm: extra.testForm ?? { eventType: tested.eventType, payload: '' },
      };
    }
    const eventTypes = o.catalogue.entries.map((e) => e.type);
    const body = subscriptionPage({ root, csrfField: signed.csrfField, s, stats, deliveries, status, cursor, overlap, eventTypes, ...extra });
    send(res, code, `Subscription ${s.url}`, body, signed, listHref, notice);
  };

  const field = (req: Request, name: string) => (typeof req.body?.[name] === 'string' ? (req.body[name] as string) : '');
  const formOf = (req: Request): SubscriptionForm => ({
    kind: field(req, 'kind') || 'webhook',
    url: field(req, 'url').trim(),
    eventTypes: field(req, 'eventTypes'),
    description: field(req, 'description').trim(),
    signing: field(req, 'signing') || 'standard-webhooks',
    filter: field(req, 'filter'),
  });
  /** An own secret as typed (never put back in a page); empty is none. */
  const secretOf = (req: Request) => (field(req, 'secret') === '' ? undefined : field(req, 'secret'));
  const typesOf = (text: string) =>
    text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  const problemOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
    const first = issues[0];
    const name = first?.path.length ? (LABELS[String(first.path[0])] ?? String(first.path[0])) : '';
    return first ? `${name ? `${name}: ` : ''}${first.message}` : 'The form could not be read.';
  };
  const checkUrl = (url: string, kind: SubscriptionKind) =>
    destinationNotAllowed(url, kind, { allowPrivateNetworks: config.allowPrivateNetworks, resolve: o.deliveries.resolve });
  const confirmed = (req: Request) => req.body?.confirmed === 'yes';
  const selfOf = (req: Request) => `${listHref}/${String(req.params.id)}`;
  /** Post/redirect/get: the secret goes to the session, the browser to the page that shows it once. */
  const showSecretOnce = async (res: Response, signed: Signed, id: string, secret: SecretFlash) => {
    await setFlash(db, signed.session.tokenHash, secretFlashKey(id), secret);
    res.redirect(303, `${listHref}/${id}`);
  };

  router.get(
    '/subscriptions',
    page(async (req, res, signed) => {
      const notice = req.query.done === 'deleted' ? { text: NOTICES.deleted! } : undefined;
      send(res, 200, title, await listView(signed), signed, listHref, notice);
    }),
  );

  router.post(
    '/subscriptions',
    page(async (req, res, signed) => {
      const form = formOf(req);
      const refuse = async (why: string) => send(res, 400, title, await listView(signed, form, why), signed, listHref);
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
      const checked = checkNewSubscription(o.catalogue, parsed.data);
      if (isRefusal(checked)) return refuse(refusalText(checked));
      const why = await checkUrl(parsed.data.url, parsed.data.kind);
      if (why) return refuse(`URL not allowed: ${why}`);
      const { secret: _typed, ...rest } = parsed.data;
      const created = await createSubscription(db, { ...rest, ...checked, ...(secret !== undefined ? { secret } : {}) });
      logger.info('console created a subscription', { id: created.id, kind: created.kind, signing: created.signing });
      if (created.secret === null) return res.redirect(303, `${listHref}/${created.id}?done=created`);
      await showSecretOnce(res, signed, created.id, { why: 'created', secret: created.secret });
    }),
  );

  router.get(
    '/subscriptions/:id',
    page(async (req, res, signed) => {
      const done = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
      const id = String(req.params.id);
      // A secret left by the POST that redirected here: shown this once, gone on a reload (a HEAD does not take it).
      const secret = UUID.test(id) && req.method === 'GET' ? await takeFlash<SecretFlash>(db, signed.session.tokenHash, secretFlashKey(id)) : undefined;
      await showOne(req, res, signed, secret ? { secret } : {}, { notice: done ? { text: done } : undefined });
    }),
  );

  /** A POST about one subscription: a 404 page when there is none (a malformed id included). */
  const action = (path: string, handler: (req: Request, res: Response, signed: Signed, id: string) => Promise<void>) =>
    router.post(
      `/subscriptions/:id/${path}`,
      page(async (req, res, signed) => {
        const id = String(req.params.id);
        if (!UUID.test(id)) return showOne(req, res, signed);
        await handler(req, res, signed, id);
      }),
    );

  for (const [path, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    action(path, async (req, res, signed, id) => {
      const changed = await updateSubscription(db, id, { enabled });
      if (!changed) return showOne(req, res, signed);
      if (enabled) o.deliveries.wake();
      logger.info(`console ${path}d a subscription`, { id });
      res.redirect(303, `${selfOf(req)}?done=${path}d`);
    });
  }

  action('edit', async (req, res, signed, id) => {
    const form = formOf(req);
    const refuse = (why: string) => showOne(req, res, signed, { edit: form }, { status: 400, notice: { text: why, error: true } });
    if (typesOf(form.eventTypes).length === 0) return refuse(NO_TYPES);
    const filterInput = jsonText(form.filter, 'Filter');
    if ('error' in filterInput) return refuse(filterInput.error);
    const parsed = updateSubscriptionBodySchema.safeParse({
      // Empty keeps the stored URL (a Slack URL is never put in the form).
      url: form.url === '' ? undefined : form.url,
      eventTypes: typesOf(form.eventTypes),
      description: form.description === '' ? null : form.description,
      // The form always carries the filter: empty removes it.
      filter: filterInput.value ?? null,
    });
    if (!parsed.success) return refuse(problemOf(parsed.error.issues));
    const types = eventTypesRefusal(o.catalogue, parsed.data.eventTypes);
    if (types) return refuse(refusalText(types));
    const filter = checkedFilter(parsed.data.filter);
    if (isRefusal(filter)) return refuse(refusalText(filter));
    const current = await getSubscription(db, id);
    if (!current) return showOne(req, res, signed);
    const why = parsed.data.url !== undefined ? await checkUrl(parsed.data.url, current.kind) : undefined;
    if (why) return refuse(`URL not allowed: ${why}`);
    const changed = await updateSubscription(db, id, { ...parsed.data, filter: filter.filter });
    if (!changed) return showOne(req, res, signed);
    logger.info('console changed a subscription', { id });
    res.redirect(303, `${selfOf(req)}?done=updated`);
  });

  action('secret', async (req, res, signed, id) => {
    const secrets = await getSecrets(db, id);
    if (!secrets) return showOne(req, res, signed);
    logger.info('console showed a subscription secret', { id });
    await showSecretOnce(res, signed, id, { why: 'shown', ...secrets });
  });

  action('rotate-secret', async (req, res, signed, id) => {
    const s = await getSubscription(db, id);
    if (!s) return showOne(req, res, signed);
    const secret = secretOf(req);
    const refuse = (why: string) => showOne(req, res, signed, {}, { status: 400, notice: { text: why, error: true } });
    if (s.signing === null) return refuse('Slack subscriptions are not signed: there is no secret to rotate.');
    const parsed = rotateSecretBodySchema.safeParse(secret === undefined ? {} : { secret });
    if (!parsed.success) return refuse(problemOf(parsed.error.issues));
    // Checked before asking: a confirmation for a secret that cannot be used would be wasted.
    const bad = secretRefusal(s.signing, parsed.data.secret);
    if (bad) return refuse(refusalText(bad));
    if (!confirmed(req)) {
      // Without JavaScript: the confirmation page carries the typed secret on (a hidden field of the operator's own page).
      const carried: Record<string, string> = secret === undefined ? {} : { secret };
      return send(res, 200, 'Confirm', confirmPage(rotateQuestion(overlap, s.signing), `${selfOf(req)}/rotate-secret`, signed.csrfField, carried, selfOf(req)), signed, listHref);
    }
    const rotated = await rotateSecret(db, id, config.secretOverlapMs, parsed.data.secret);
    if (!rotated) return showOne(req, res, signed);
    logger.info('console rotated a subscription secret', { id });
    await showSecretOnce(res, signed, id, { why: 'rotated', ...rotated });
  });

  action('test', async (req, res, signed, id) => {
    const testForm: TestSendForm = { eventType: field(req, 'eventType') || 'webhook.test', payload: field(req, 'payload') };
    const refuse = (why: string) => showOne(req, res, signed, { testForm }, { status: 400, notice: { text: why, error: true } });
    const payload = jsonText(testForm.payload, 'Payload');
    if ('error' in payload) return refuse(payload.error);
    const parsed = testSendBodySchema.safeParse({ eventType: testForm.eventType, ...(payload.value !== undefined ? { payload: payload.value } : {}) });
    if (!parsed.success) return refuse(problemOf(parsed.error.issues));
    const test = testEventOf(o.catalogue, parsed.data);
    if ('error' in test) return refuse(`Event type: ${test.message}`);
    const result = await sendTestDelivery({ db, config, http: o.deliveries.http, logger }, id, test);
    if (!result) return showOne(req, res, signed);
    // Redirected, so a reload does not send another test: the page finds the result among its deliveries.
    res.redirect(303, `${selfOf(req)}?tested=${result.deliveryId}`);
  });

  action('delete', async (req, res, signed, id) => {
    const s = await getSubscription(db, id);
    if (!s) return showOne(req, res, signed);
    if (!confirmed(req)) {
      return send(res, 200, 'Confirm', confirmPage(deleteQuestion(s.url), `${selfOf(req)}/delete`, signed.csrfField, {}, selfOf(req)), signed, listHref);
    }
    if (!(await deleteSubscription(db, id))) return showOne(req, res, signed);
    logger.info('console deleted a subscription', { id });
    res.redirect(303, `${listHref}?done=deleted`);
  });

  router.post(
    '/subscriptions/:id/deliveries/:delivery/retry',
    page(async (req, res, signed) => {
      const id = String(req.params.id);
      const delivery = String(req.params.delivery);
      // Only a delivery of the subscription the URL names: another one's is not found, and left alone.
      const outcome = UUID.test(id) && UUID.test(delivery) ? await retryDelivery(db, delivery, id) : 'not_found';
      if (outcome === 'not_found') return send(res, 404, 'Not found', html`<h1>No such delivery</h1><p><a href="${listHref}">All subscriptions</a></p>`, signed, listHref);
      if (outcome === 'test_send') {
        return showOne(req, res, signed, {}, { status: 409, notice: { text: 'A test send is sent once and not retried: send a new test instead.', error: true } });
      }
      if (outcome === 'in_flight') {
        return showOne(req, res, signed, {}, { status: 409, notice: { text: 'That delivery is being sent right now; retry it once the attempt has finished.', error: true } });
      }
      logger.info('console retried a delivery', { id: delivery });
      o.deliveries.wake();
      res.redirect(303, `${selfOf(req)}?done=retried`);
    }),
  );
}

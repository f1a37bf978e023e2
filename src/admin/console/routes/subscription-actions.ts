/*
 * The buttons on one subscription's page. Each answers with that page (refused: the form as typed,
 * above it why) or redirects back to it, so a reload never sends a change twice.
 */

import { UUID } from '../../../text/uuid';
import express, { type Request, type Response } from 'express';
import {
  deleteSubscription,
  getSecrets,
  getSubscription,
  rotateSecret,
  updateSubscription,
} from '../../../deliveries/subscriptions';
import { sendTestDelivery } from '../../../deliveries/test-send';
import { audited, recordAudit } from '../../../audit/record';
import { consoleBy } from '../../../audit/actors';
import {
  secretRevealed,
  secretRotated,
  subscriptionDeleted,
  subscriptionUpdated,
  testSent,
} from '../../../audit/subscription-entries';
import { confirmPage } from '../../../html/components';
import {
  checkedFilter,
  eventTypesRefusal,
  isRefusal,
  rotateSecretBodySchema,
  secretRefusal,
  testEventOf,
  testSendBodySchema,
  updateSubscriptionBodySchema,
} from '../../api/subscription-schemas';
import { confirmed, field } from '../forms';
import { deleteQuestion, rotateQuestion, type TestSendForm } from '../pages/subscriptions';
import { page, type Signed } from '../render';
import { formOf, jsonText, NO_TYPES, problemOf, refusalText, secretOf, typesOf } from '../subscription-form';
import { operationalTeller } from '../../../operational/delivery-events';
import { checkUrl, selfOf, showOne, showSecretOnce, type SubscriptionScreen } from '../subscription-screen';

export function subscriptionActionRoutes(s: SubscriptionScreen): express.Router {
  const { db, config, logger, send, listHref, overlap } = s;
  const router = express.Router();

  /** A POST about one subscription: a 404 page when there is none (a malformed id included). */
  const action = (path: string, handler: (req: Request, res: Response, signed: Signed, id: string) => Promise<void>) =>
    router.post(
      `/subscriptions/:id/${path}`,
      page(async (req, res, signed) => {
        const id = String(req.params.id);
        if (!UUID.test(id)) return showOne(s, req, res, signed);
        await handler(req, res, signed, id);
      }),
    );

  for (const [path, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    action(path, async (req, res, signed, id) => {
      const changed = await audited(
        db,
        (tx) => updateSubscription(tx, s.box, id, { enabled }),
        subscriptionUpdated(consoleBy(req, signed.session), id, { enabled }),
      );
      if (!changed) return showOne(s, req, res, signed);
      if (enabled) s.deliveries.wake();
      logger.info(`console ${path}d a subscription`, { id });
      res.redirect(303, `${selfOf(s, req)}?done=${path}d`);
    });
  }

  action('edit', async (req, res, signed, id) => {
    const form = formOf(req);
    const refuse = (why: string) =>
      showOne(s, req, res, signed, { edit: form }, { status: 400, notice: { text: why, error: true } });
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
    const types = eventTypesRefusal(s.catalogue, parsed.data.eventTypes);
    if (types) return refuse(refusalText(types));
    const filter = checkedFilter(parsed.data.filter);
    if (isRefusal(filter)) return refuse(refusalText(filter));
    const current = await getSubscription(db, s.box, id);
    if (!current) return showOne(s, req, res, signed);
    const why = parsed.data.url !== undefined ? await checkUrl(s, parsed.data.url, current.kind) : undefined;
    if (why) return refuse(`URL not allowed: ${why}`);
    const changed = await audited(
      db,
      (tx) => updateSubscription(tx, s.box, id, { ...parsed.data, filter: filter.filter }),
      subscriptionUpdated(consoleBy(req, signed.session), id, parsed.data),
    );
    if (!changed) return showOne(s, req, res, signed);
    logger.info('console changed a subscription', { id });
    res.redirect(303, `${selfOf(s, req)}?done=updated`);
  });

  action('secret', async (req, res, signed, id) => {
    const secrets = await audited(
      db,
      (tx) => getSecrets(tx, s.box, id),
      secretRevealed(consoleBy(req, signed.session), id),
    );
    if (!secrets) return showOne(s, req, res, signed);
    logger.info('console showed a subscription secret', { id });
    await showSecretOnce(s, res, signed, id, { why: 'shown', ...secrets });
  });

  action('rotate-secret', async (req, res, signed, id) => {
    const sub = await getSubscription(db, s.box, id);
    if (!sub) return showOne(s, req, res, signed);
    const secret = secretOf(req);
    const refuse = (why: string) =>
      showOne(s, req, res, signed, {}, { status: 400, notice: { text: why, error: true } });
    if (sub.signing === null) return refuse('Slack subscriptions are not signed: there is no secret to rotate.');
    const parsed = rotateSecretBodySchema.safeParse(secret === undefined ? {} : { secret });
    if (!parsed.success) return refuse(problemOf(parsed.error.issues));
    // Checked before asking: a confirmation for a secret that cannot be used would be wasted.
    const bad = secretRefusal(sub.signing, parsed.data.secret);
    if (bad) return refuse(refusalText(bad));
    if (!confirmed(req)) {
      // Without JavaScript: the confirmation page carries the typed secret on (a hidden field of the operator's own
      // page).
      const carried: Record<string, string> = secret === undefined ? {} : { secret };
      const question = rotateQuestion(overlap, sub.signing);
      return send(
        res,
        200,
        'Confirm',
        confirmPage(question, `${selfOf(s, req)}/rotate-secret`, signed.csrfField, carried, selfOf(s, req)),
        signed,
        listHref,
      );
    }
    const rotated = await audited(
      db,
      (tx) => rotateSecret(tx, s.box, id, config.secretOverlapMs, parsed.data.secret),
      secretRotated(consoleBy(req, signed.session), id, parsed.data.secret !== undefined),
    );
    if (!rotated) return showOne(s, req, res, signed);
    logger.info('console rotated a subscription secret', { id });
    await showSecretOnce(s, res, signed, id, { why: 'rotated', ...rotated });
  });

  action('test', async (req, res, signed, id) => {
    const testForm: TestSendForm = {
      eventType: field(req, 'eventType') || 'webhook.test',
      payload: field(req, 'payload'),
    };
    const refuse = (why: string) =>
      showOne(s, req, res, signed, { testForm }, { status: 400, notice: { text: why, error: true } });
    const payload = jsonText(testForm.payload, 'Payload');
    if ('error' in payload) return refuse(payload.error);
    const parsed = testSendBodySchema.safeParse({
      eventType: testForm.eventType,
      ...(payload.value !== undefined ? { payload: payload.value } : {}),
    });
    if (!parsed.success) return refuse(problemOf(parsed.error.issues));
    const test = testEventOf(s.catalogue, parsed.data);
    if ('error' in test) return refuse(`Event type: ${test.message}`);
    const result = await sendTestDelivery(
      { db, box: s.box, tell: operationalTeller(s.box), config, http: s.deliveries.http, logger },
      id,
      test,
    );
    const entry = testSent(consoleBy(req, signed.session), id, test.type)(result);
    if (entry) await recordAudit(db, entry);
    if (!result) return showOne(s, req, res, signed);
    // Redirected, so a reload does not send another test: the page finds the result among its deliveries.
    res.redirect(303, `${selfOf(s, req)}?tested=${result.deliveryId}`);
  });

  action('delete', async (req, res, signed, id) => {
    const sub = await getSubscription(db, s.box, id);
    if (!sub) return showOne(s, req, res, signed);
    if (!confirmed(req)) {
      return send(
        res,
        200,
        'Confirm',
        confirmPage(deleteQuestion(sub.url), `${selfOf(s, req)}/delete`, signed.csrfField, {}, selfOf(s, req)),
        signed,
        listHref,
      );
    }
    const deleted = await audited(
      db,
      (tx) => deleteSubscription(tx, id),
      subscriptionDeleted(consoleBy(req, signed.session), id),
    );
    if (!deleted) return showOne(s, req, res, signed);
    logger.info('console deleted a subscription', { id });
    res.redirect(303, `${listHref}?done=deleted`);
  });
  return router;
}

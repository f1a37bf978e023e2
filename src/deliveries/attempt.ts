import type { Logger } from 'winston';
import type { DeliveryConfig } from '../config/config';
import type { Db, Executor } from '../db/client';
import type { SecretBox } from '../crypto/secret-box';
import { SecretUnreadableError } from '../errors/hookport-error';
import { errorMessage } from '../errors/error-message';
import { version } from '../config/version';
import type { ClaimedDelivery } from './claim';
import { DeliveryTimeoutError, type DeliveryHttpClient } from './http-client';
import { NetworkGuardError } from './network-guard';
import type { FailureTeller } from './failure-facts';
import { markFailed, markSucceeded, type AttemptResult, type SettledAs } from './settle';
import { outboundRequest } from './outbound';
import { openedDelivery } from './sealed-columns';
import { slackBody, slackGone } from './slack/body';
import type { ProviderLabels } from './slack/labels';
import { endDeliverySpan, startDeliverySpan } from '../tracing/delivery-span';
import { traceIdOf, traceparentOf } from '../tracing/context';

export interface AttemptDeps {
  db: Db;
  config: DeliveryConfig;
  http: DeliveryHttpClient;
  logger: Logger;
  /** Opens the subscription's stored URL and secrets. */
  box: SecretBox;
  /** Writes what a failed attempt causes (operational events) in its settling transaction. */
  tell: FailureTeller;
  /** How each provider is named in messages for people (Slack). */
  labels?: ProviderLabels;
  /** The Slack buttons someone answers (answeredActions). */
  slackActions?: ReadonlySet<string>;
  /** Records a 2xx (the worker's SuccessBatcher groups them); default: a statement of its own. */
  succeeded?: (d: ClaimedDelivery, r: AttemptResult) => Promise<SettledAs>;
  /** The console's address (PUBLIC_BASE_URL + /admin), for links in Slack messages; none without it. */
  consoleUrl?: string | null;
  /** Told when a failure wrote deliveries of operational events (hookport.*), to send them at once. */
  onDeliveriesWritten?: () => void;
}

const succeededAlone = async (db: Executor, d: ClaimedDelivery, r: AttemptResult): Promise<SettledAs> =>
  (await markSucceeded(db, [{ d, r }])).has(d.id) ? 'succeeded' : 'lost';

/** The delay before retry `attempt` (1-based: after the first attempt failed), ±20 % jitter; null when none is left. */
export function deliveryRetryDelayMs(
  schedule: readonly number[],
  attempt: number,
  random = Math.random,
): number | null {
  const base = schedule[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Sends one claimed delivery and records the outcome. Never throws. */
export async function attemptDelivery(
  deps: AttemptDeps,
  d: ClaimedDelivery,
): Promise<{ outcome: SettledAs; durationMs: number }> {
  return recordAttempt(deps, d, await send(deps, d));
}

/** Why a delivery whose worker died on its last attempt is dead. */
export const LEASE_EXHAUSTED =
  'its worker stopped while sending it (lease expired) on the last attempt: check the logs for a crash';

/** A delivery whose lease ran out on its last attempt (see claimDeliveries): a failure with no retry left. */
export const settleExhausted = (deps: AttemptDeps, d: ClaimedDelivery) =>
  recordAttempt(deps, d, { responseStatus: null, responseBody: null, durationMs: 0, error: LEASE_EXHAUSTED });

/** Records what an attempt got: succeeded, retried later, or dead. Never throws. */
async function recordAttempt(
  deps: AttemptDeps,
  d: ClaimedDelivery,
  result: AttemptResult,
): Promise<{ outcome: SettledAs; durationMs: number }> {
  const { logger, config } = deps;
  const log = () => ({
    delivery: d.id,
    subscription: d.subscriptionId,
    webhookId: d.canonicalEventId,
    eventType: d.eventType,
    attempt: d.attempts,
    // The webhook's trace (tracing on): its attempts' lines lead to it.
    ...(d.traceparent && { trace_id: traceIdOf(d.traceparent) }),
  });
  const ok = result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
  try {
    if (ok) {
      const outcome = await (deps.succeeded ? deps.succeeded(d, result) : succeededAlone(deps.db, d, result));
      // Checked first: building the line costs more than sending it to no transport.
      if (logger.isDebugEnabled())
        logger.debug('delivery succeeded', { ...log(), status: result.responseStatus, ms: result.durationMs });
      return { outcome, durationMs: result.durationMs };
    }
    const retryInMs = deliveryRetryDelayMs(config.retryScheduleMs, d.attempts);
    const gone = d.kind === 'slack' ? slackGone(result.responseStatus) : result.responseStatus === 410;
    const goneReason =
      gone && d.kind === 'slack'
        ? `Slack answered ${result.responseStatus} ${(result.responseBody ?? '').slice(0, 100)}: the incoming webhook was removed or its channel archived (delivery ${d.id})`
        : undefined;
    const { outcome, deliveries } = await markFailed(deps.db, d, result, {
      retryInMs,
      gone,
      goneReason,
      disableAfterMs: config.disableAfterMs,
      tell: deps.tell,
    });
    if (deliveries > 0) deps.onDeliveriesWritten?.();
    const fields = { ...log(), status: result.responseStatus, error: result.error, ms: result.durationMs };
    if (outcome === 'dead') logger.warn('delivery dead: no retry left', fields);
    else if (outcome === 'failed')
      logger.info('delivery failed; will retry', { ...fields, retryInMs: gone ? null : retryInMs });
    if (gone) logger.warn(`subscription disabled: the receiver answered ${result.responseStatus}`, log());
    return { outcome, durationMs: result.durationMs };
  } catch (err) {
    // The lease runs out and the delivery is retaken: sent again, never lost.
    logger.warn('could not record a delivery attempt', { ...log(), error: errorMessage(err) });
    return { outcome: 'lost', durationMs: result.durationMs };
  }
}

const failedAttempt = (started: number, error: string): AttemptResult => ({
  responseStatus: null,
  responseBody: null,
  durationMs: Math.round(performance.now() - started),
  error,
});

/** One POST; every failure becomes a result (an error text), never an exception. */
async function send(deps: AttemptDeps, claimed: ClaimedDelivery): Promise<AttemptResult> {
  const started = performance.now();
  const failed = (error: string) => failedAttempt(started, error);
  if (claimed.event === null) return failed('its canonical event is gone');
  let d: ClaimedDelivery;
  try {
    d = openedDelivery(deps.box, claimed);
  } catch (err) {
    // Retried like any failure: a start with the right key sends it; nothing goes out unsigned.
    if (err instanceof SecretUnreadableError) return failed(`not sent: ${err.message}`);
    throw err;
  }
  let body: string;
  let headers: Record<string, string>;
  if (d.kind === 'slack') {
    // A Slack message for people, from the event's body; not signed (the incoming-webhook URL is the credential).
    body = slackBody(d, deps.labels, new Date(), deps.slackActions, deps.consoleUrl);
    headers = { 'content-type': 'application/json', 'user-agent': `Hookport/${version}` };
  } else {
    if (d.secrets.length === 0) return failed('the subscription has no signing secret');
    ({ body, headers } = outboundRequest(d, new Date()));
  }
  const span = startDeliverySpan({
    deliveryId: d.id,
    subscriptionId: d.subscriptionId,
    webhookId: d.canonicalEventId,
    eventType: d.eventType,
    attempt: d.attempts,
    url: d.url,
    traceparent: d.traceparent,
  });
  // The subscriber's own tracing joins this trace (W3C Trace Context), under this attempt's span.
  if (span) headers = { ...headers, traceparent: traceparentOf(span)! };
  const result = await post(deps, d.url, headers, body, started);
  if (span) endDeliverySpan(span, result.responseStatus, result.durationMs);
  return result;
}

async function post(
  deps: AttemptDeps,
  url: string,
  headers: Record<string, string>,
  body: string,
  started: number,
): Promise<AttemptResult> {
  try {
    const res = await deps.http.post(url, headers, body);
    const text = res.body.toString('utf8');
    return {
      responseStatus: res.status,
      responseBody: text,
      durationMs: res.durationMs,
      error:
        res.status >= 200 && res.status < 300
          ? null
          : `the receiver answered ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`,
    };
  } catch (err) {
    if (err instanceof DeliveryTimeoutError || err instanceof NetworkGuardError)
      return failedAttempt(started, err.message);
    return failedAttempt(started, `no answer: ${errorMessage(err)}`);
  }
}

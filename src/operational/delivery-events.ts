import type { SecretBox } from '../crypto/secret-box';
import type { Executor } from '../db/client';
import { isOperational, OPERATIONAL_TYPES } from '../events/operational-types';
import { insertCanonicalEvents } from '../records/canonical';
import { failingAlert, FAILING } from './failing';
import { operationalRow, type OperationalFact } from './rows';
import { subscriptionObject } from './subscription-object';
import type { FailureFacts, FailureTeller, SettledFailure } from '../deliveries/failure-facts';

const deliveryObject = (d: SettledFailure) => ({
  id: d.id,
  subscriptionId: d.subscription_id,
  canonicalEventId: d.canonical_event_id,
  eventType: d.event_type,
  attempts: Number(d.attempts),
  lastStatus: d.response_status === null ? null : Number(d.response_status),
  lastError: d.last_error,
  createdAt: new Date(d.created_at).toISOString(),
});

/**
 * The operational events of one failed attempt, written in the transaction that settled it (so
 * one exists exactly when the state change committed); returns the deliveries they got. A
 * subscription disabled is always told (as Svix tells endpoint.disabled; a disabled subscription
 * gets nothing more, so it cannot loop), but nothing is said about a delivery of a hookport.*
 * event (its death or its failing streak) nor about a test send.
 */
export async function tellDeliveryFailure(tx: Executor, box: SecretBox, f: FailureFacts): Promise<number> {
  const at = new Date();
  const d = f.delivery;
  const facts: OperationalFact[] = [];
  if (f.disabled) {
    facts.push({
      type: OPERATIONAL_TYPES.subscriptionDisabled,
      causeId: d.id,
      at,
      object: subscriptionObject(box, f.disabled),
      fields: { reason: f.disabled.disabled_reason ?? 'disabled', deliveryId: d.id },
    });
  }
  if (!f.test && !isOperational(d.event_type)) {
    if (f.dead) {
      facts.push({
        type: OPERATIONAL_TYPES.deliveryDead,
        causeId: d.id,
        at,
        object: deliveryObject(d),
        fields: { reason: `no retry left after ${d.attempts} attempts: ${d.last_error ?? 'failed'}` },
      });
    }
    const failing = f.disabled ? null : await failingAlert(tx, d.subscription_id);
    if (failing) {
      facts.push({
        type: OPERATIONAL_TYPES.deliveryFailing,
        causeId: d.id,
        at,
        object: subscriptionObject(box, failing),
        fields: {
          reason: `${failing.failed} of ${failing.attempted} deliveries attempted in the last ${FAILING.windowMinutes} minutes failed`,
          deliveryId: d.id,
          recent: { minutes: FAILING.windowMinutes, attempted: failing.attempted, failed: failing.failed },
        },
      });
    }
  }
  return insertCanonicalEvents(tx, facts.map(operationalRow));
}

/** The teller the delivery worker and test sends settle failures with. */
export const operationalTeller =
  (box: SecretBox): FailureTeller =>
  (tx, facts) =>
    tellDeliveryFailure(tx, box, facts);

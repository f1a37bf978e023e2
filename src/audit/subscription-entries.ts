import type { AuditBy, AuditEntry } from './entry';

/*
 * The entries of subscription actions, alike from the console and the admin API. Each takes the
 * action's result and yields null when nothing happened (no such subscription). None carries a URL
 * (a Slack URL is itself a secret, a webhook URL may hold a token) or a secret: only what changed.
 */

type Entry<T> = (result: T) => AuditEntry | null;

export const subscriptionCreated =
  (
    by: AuditBy,
    ownSecret: boolean,
  ): Entry<{ id: string; kind: string; signing: string | null; eventTypes: string[] }> =>
  (s) => ({
    by,
    action: 'subscription.create',
    target: s.id,
    detail: { kind: s.kind, signing: s.signing, eventTypes: s.eventTypes, ownSecret },
  });

/** Which fields the change gave (their names; `enabled` with its value). */
export const subscriptionUpdated =
  (by: AuditBy, id: string, change: Readonly<Record<string, unknown>>): Entry<unknown> =>
  (changed) => {
    if (!changed) return null;
    const fields = Object.keys(change).filter((k) => change[k] !== undefined);
    const enabled = typeof change.enabled === 'boolean' ? { enabled: change.enabled } : {};
    return { by, action: 'subscription.update', target: id, detail: { changed: fields, ...enabled } };
  };

export const subscriptionDeleted =
  (by: AuditBy, id: string): Entry<boolean> =>
  (deleted) =>
    deleted ? { by, action: 'subscription.delete', target: id } : null;

export const secretRevealed =
  (by: AuditBy, id: string): Entry<{ previousSecret: string | null } | undefined> =>
  (secrets) =>
    secrets
      ? { by, action: 'subscription.secret_reveal', target: id, detail: { previous: secrets.previousSecret !== null } }
      : null;

export const secretRotated =
  (by: AuditBy, id: string, ownSecret: boolean): Entry<object | undefined> =>
  (rotated) =>
    rotated ? { by, action: 'subscription.secret_rotate', target: id, detail: { ownSecret } } : null;

export const testSent =
  (by: AuditBy, id: string, eventType: string): Entry<{ deliveryId: string } | undefined> =>
  (result) =>
    result
      ? { by, action: 'subscription.test_send', target: id, detail: { eventType, deliveryId: result.deliveryId } }
      : null;

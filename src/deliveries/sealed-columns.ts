import type { SecretBox } from '../crypto/secret-box';
import { SecretUnreadableError } from '../errors/hookport-error';
import type { ClaimedDelivery } from './claim';
import type { SubscriptionKind } from '../db/tables/deliveries';
import { sealedLabel, type SealedColumn } from '../secrets/sealed-field';

/** The subscription columns that hold secrets, sealed with HOOKPORT_ENCRYPTION_KEY. */
export const SECRET: SealedColumn = { table: 'subscriptions', key: 'id', column: 'secret' };
/** A rotation moves the secret here as stored, so it keeps the secret's label. */
export const PREVIOUS_SECRET: SealedColumn = {
  table: 'subscriptions',
  key: 'id',
  column: 'previous_secret',
  label: sealedLabel(SECRET),
};
/** A Slack incoming-webhook URL is its credential; a webhook URL is not a secret and stays plain. */
export const SLACK_URL: SealedColumn = { table: 'subscriptions', key: 'id', column: 'url', where: "kind = 'slack'" };

export const SUBSCRIPTION_SEALED_COLUMNS: readonly SealedColumn[] = [SECRET, PREVIOUS_SECRET, SLACK_URL];

/** A subscription's URL as stored: sealed for Slack. */
export const storedUrl = (box: SecretBox, kind: SubscriptionKind, url: string): string =>
  kind === 'slack' ? box.seal(sealedLabel(SLACK_URL), url) : url;

/** A URL as stored, opened (throws SecretUnreadableError when no key opens it). */
export const openedUrl = (box: SecretBox, kind: SubscriptionKind, stored: string): string =>
  kind === 'slack' ? box.open(sealedLabel(SLACK_URL), stored) : stored;

/** A signing secret (current or previous) sealed, and opened. */
export const sealSecret = (box: SecretBox, secret: string) => box.seal(sealedLabel(SECRET), secret);
export const openSecret = (box: SecretBox, stored: string) => box.open(sealedLabel(SECRET), stored);

/**
 * A claimed delivery with its URL and secrets opened, ready to send. Throws SecretUnreadableError
 * when the URL or the current secret cannot be opened; a previous secret that cannot (rotated
 * after the key was lost) is left out, and the current one signs alone.
 */
export function openedDelivery(box: SecretBox, d: ClaimedDelivery): ClaimedDelivery {
  const [current, previous] = d.secrets;
  const secrets = current === undefined ? [] : [openSecret(box, current)];
  if (previous !== undefined) {
    try {
      secrets.push(openSecret(box, previous));
    } catch (err) {
      if (!(err instanceof SecretUnreadableError)) throw err;
    }
  }
  return { ...d, url: openedUrl(box, d.kind, d.url), secrets };
}

import type { Logger } from 'winston';
import type { SecretBox } from '../crypto/secret-box';
import { ENCRYPTION_KEY_VARIABLE } from '../crypto/secret-box';
import type { Executor } from '../db/client';
import type { ProviderRegistry } from '../contract/provider';
import { flashField } from '../admin/session-flash';
import { SUBSCRIPTION_SEALED_COLUMNS } from '../deliveries/sealed-columns';
import { SecretUnreadableError } from '../errors/hookport-error';
import { resealAll, type ResealCounts } from './reseal';
import { columnField, type SealedField } from './sealed-field';

/** Every place a secret is stored: the core's and each provider's own columns. */
export const storedSecretFields = (providers: ProviderRegistry): SealedField[] => [
  ...SUBSCRIPTION_SEALED_COLUMNS.map(columnField),
  flashField,
  ...Object.values(providers).flatMap((p) => (p.sealedColumns ?? []).map(columnField)),
];

/**
 * Start-up: plain secrets are sealed under the first key (an install that just set one), and the
 * values no configured key opens are counted and logged as an error naming the variable. Webhooks
 * are still accepted (ingest needs none of these); what needs an unreadable one fails and says why.
 */
export async function sealStoredSecrets(
  db: Executor,
  box: SecretBox,
  providers: ProviderRegistry,
  logger: Logger,
): Promise<ResealCounts> {
  const counts = await resealAll(db, box, storedSecretFields(providers), { rewrap: false });
  if (counts.sealed > 0)
    logger.info(`stored secrets encrypted with ${ENCRYPTION_KEY_VARIABLE}`, { count: counts.sealed });
  if (counts.unreadable > 0)
    logger.error(
      `${counts.unreadable} stored secrets are unreadable: ${new SecretUnreadableError(box.enabled).message}; ` +
        'webhooks are still accepted, but deliveries, reveals and provider API calls that need them fail until it is',
      { variable: ENCRYPTION_KEY_VARIABLE, unreadable: counts.unreadable },
    );
  return counts;
}

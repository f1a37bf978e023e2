import type { Executor } from '../db/client';
import { isSealed, type SecretBox } from '../crypto/secret-box';
import { SecretUnreadableError } from '../errors/hookport-error';
import type { SealedField } from './sealed-field';

export interface ResealCounts {
  /** Plain values sealed under the first key. */
  sealed: number;
  /** Values sealed under another configured key, rewritten under the first. */
  rewritten: number;
  /** Values sealed under another configured key, left as they are (start-up does not rewrite them). */
  olderKey: number;
  /** Values no configured key opens. */
  unreadable: number;
}

/**
 * One pass over every stored secret: plain values are sealed under the first key (when there is
 * one), values under an older key are rewritten when `rewrap` (`hookport secrets reencrypt`), and
 * values no key opens are counted, never changed. Start-up and `secrets reencrypt` both run it.
 * Each value is one compare-and-set statement, so a change made meanwhile is never overwritten.
 */
export async function resealAll(
  db: Executor,
  box: SecretBox,
  fields: readonly SealedField[],
  options: { rewrap: boolean },
): Promise<ResealCounts> {
  const counts: ResealCounts = { sealed: 0, rewritten: 0, olderKey: 0, unreadable: 0 };
  for (const field of fields) {
    for (const { id, stored } of await field.read(db, box.currentPrefix)) {
      if (!isSealed(stored)) {
        if (!box.enabled) continue;
        await field.write(db, id, stored, box.seal(field.label, stored));
        counts.sealed++;
        continue;
      }
      let plain: string;
      try {
        plain = box.open(field.label, stored);
      } catch (err) {
        if (!(err instanceof SecretUnreadableError)) throw err;
        counts.unreadable++;
        continue;
      }
      if (!options.rewrap) {
        counts.olderKey++;
        continue;
      }
      await field.write(db, id, stored, box.seal(field.label, plain));
      counts.rewritten++;
    }
  }
  return counts;
}

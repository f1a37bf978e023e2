import { type Config, type RequestHead, VerificationError } from '../../src/provider';
import { createThumbtackVerifier } from './verify';
import { thumbtackSettings } from './settings';

const NO_BODY = Buffer.alloc(0);

/**
 * Thumbtack's whole proof is the Basic credential in the headers, so the full (constant-time)
 * check runs before the body: a wrong password never gets its body read.
 */
export function createThumbtackPrecheck(config: Config) {
  const { username, password } = thumbtackSettings.of(config);
  if (!username || !password) {
    // Fail closed: without both credentials nothing may pass.
    return (): never => {
      throw new VerificationError('set THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD');
    };
  }
  const verify = createThumbtackVerifier(username, password);
  return (head: RequestHead): void => verify({ ...head, body: NO_BODY });
}

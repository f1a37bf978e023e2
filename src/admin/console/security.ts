import { secretsEqual } from '../../crypto/secure-compare';
import type { Session } from '../sessions';

export const CSRF_FIELD = '_csrf';

/** Whether a form post carries the session's CSRF token (compared in constant time). */
export function csrfMatches(session: Session, form: Readonly<Record<string, unknown>>): boolean {
  const given = form[CSRF_FIELD];
  return typeof given === 'string' && given !== '' && secretsEqual(given, session.csrfToken);
}

import type { NextFunction, Request, Response } from 'express';
import { secretsEqual } from '../../crypto/secure-compare';
import type { Session } from '../sessions';

/** No inline script or style, nothing from another origin, no framing, forms only back to Hookport. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers on every console answer (pages also get Cache-Control: no-store where they are rendered). */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  next();
}

export const CSRF_FIELD = '_csrf';

/** Whether a form post carries the session's CSRF token (compared in constant time). */
export function csrfMatches(session: Session, form: Readonly<Record<string, unknown>>): boolean {
  const given = form[CSRF_FIELD];
  return typeof given === 'string' && given !== '' && secretsEqual(given, session.csrfToken);
}

import { HookportError } from '../errors/hookport-error';
import { sendHttpError } from '../http/errors';
import type { RequestHandler } from 'express';
import type { Config } from '../config/config';
import type { AuthFailures } from '../http/auth-failures';
import { bearerMatches } from '../http/bearer';
import { secretsEqual } from '../crypto/secure-compare';

/**
 * Everything under /admin (and provider routes that need an operator) is closed, never open, while ADMIN_TOKEN
 * is unset: 503 admin_not_configured.
 */
export function adminConfigured(config: Config): RequestHandler {
  return (req, res, next) => {
    if (config.adminToken === undefined) {
      return sendHttpError(
        req,
        res,
        new HookportError(
          'admin_not_configured',
          'set ADMIN_TOKEN (at least 32 characters) to open the admin API and console',
        ),
      );
    }
    next();
  };
}

/** Whether `candidate` is the admin token (constant time); false while none is configured. */
export function tokenMatches(config: Config, candidate: string): boolean {
  return config.adminToken !== undefined && secretsEqual(candidate, config.adminToken);
}

/**
 * The admin API's check: `Authorization: Bearer <ADMIN_TOKEN>`, else 401 unauthorized; 429 while
 * this address (or everyone) has failed too often.
 */
export function requireAdminBearer(config: Config, failures: AuthFailures): RequestHandler {
  return (req, res, next) => {
    const limited = failures.refusal(req);
    if (limited) return sendHttpError(req, res, limited);
    if (config.adminToken !== undefined && bearerMatches(req, config.adminToken)) return next();
    // A request without any credential is no guess: it is refused, not counted.
    const counted = req.headers.authorization !== undefined ? failures.failed(req, 'admin_api') : Promise.resolve();
    void counted.then(() => {
      res.set('WWW-Authenticate', 'Bearer');
      sendHttpError(req, res, new HookportError('unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>'));
    });
  };
}

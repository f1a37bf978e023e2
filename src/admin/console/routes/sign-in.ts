/*
 * The only screen open without a session (it is how one starts), and the button that ends one: the
 * session cookie is set and cleared here, for the console and every path that shares it.
 */

import express, { type RequestHandler } from 'express';
import type { Logger } from 'winston';
import type { Config } from '../../../config/config';
import type { Db } from '../../../db/client';
import type { AuthFailures } from '../../../http/auth-failures';
import { audited } from '../../../audit/record';
import { consoleBy } from '../../../audit/actors';
import { tokenMatches } from '../../auth';
import { createSession, deleteSession, SESSION_TTL_SECONDS, sessionCookies } from '../../sessions';
import { field } from '../forms';
import { signInPage } from '../pages/sign-in';
import { page, type Screen } from '../render';

export interface SignInOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** The paths the session cookie goes to (the console, and provider routes that require an operator). */
  cookiePaths: string[];
  /** The console's session check: signing out needs a session, and a form of it. */
  signedIn: RequestHandler;
  /** Wrong tokens, counted and limited with the admin API's and /metrics'. */
  authFailures: AuthFailures;
}

/** A failed sign-in answers after this pause: guessing costs time (ADMIN_TOKEN has 32+ characters anyway). */
const FAILED_SIGN_IN_DELAY_MS = 750;

export function signInRoutes(
  { root, send }: Screen,
  { config, db, logger, cookiePaths, signedIn, authFailures }: SignInOptions,
): express.Router {
  const router = express.Router();
  /** Where to go once signed in: only a page of the console (never another site, nor a crafted path). */
  const safeNext = (value: unknown) =>
    typeof value === 'string' && value.startsWith(`${root}`) && !value.startsWith('//') && !/[\\\s]/.test(value)
      ? value
      : root;

  router.get('/sign-in', (req, res) => {
    send(res, 200, 'Sign in', signInPage({ root, next: safeNext(req.query.next) }));
  });

  router.post('/sign-in', async (req, res, next) => {
    try {
      const limited = authFailures.refusal(req);
      if (limited) {
        res.setHeader('retry-after', String(limited.retryAfterSeconds));
        const error = `Too many wrong tokens from here: try again in ${limited.retryAfterSeconds} s.`;
        return send(res, 429, 'Sign in', signInPage({ root, next: safeNext(req.body?.next), error }));
      }
      const token = field(req, 'token');
      if (!token || !tokenMatches(config, token)) {
        logger.info('console sign-in refused', { reason: token ? 'wrong token' : 'no token' });
        await authFailures.failed(req, 'console');
        await new Promise((resolve) => setTimeout(resolve, FAILED_SIGN_IN_DELAY_MS));
        return send(
          res,
          401,
          'Sign in',
          signInPage({ root, next: safeNext(req.body?.next), error: 'That is not the admin token.' }),
        );
      }
      const { token: sessionToken } = await audited(
        db,
        (tx) => createSession(tx, token),
        ({ session }) => ({ by: consoleBy(req, session), action: 'operator.sign_in' }),
      );
      res.setHeader('set-cookie', sessionCookies(config, cookiePaths, sessionToken, SESSION_TTL_SECONDS));
      logger.info('console sign-in');
      res.redirect(303, safeNext(req.body?.next));
    } catch (err) {
      next(err);
    }
  });

  router.post(
    '/sign-out',
    signedIn,
    page(async (req, res, signed) => {
      const by = consoleBy(req, signed.session);
      await audited(
        db,
        (tx) => deleteSession(tx, signed.session.tokenHash),
        () => ({ by, action: 'operator.sign_out' }),
      );
      res.setHeader('set-cookie', sessionCookies(config, cookiePaths, '', 0));
      logger.info('console sign-out');
      res.redirect(303, `${root}/sign-in`);
    }),
  );
  return router;
}

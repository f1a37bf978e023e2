import express, { type Request, type Response } from 'express';
import {
  type Config,
  configuredSecrets,
  errorMessage,
  type ProviderRouteDeps,
  clientAddress,
  recordAudit,
  scrubSecrets,
  signaturesEqual,
} from '../../../src/provider';
import { JobberApiError, post, readAnswer } from '../api/client';
import { exchangeCode, JobberOAuthError } from './token-endpoint';
import { consumeOAuthState, createOAuthState } from './state';
import { ACCOUNT_QUERY } from '../api/queries';
import { storeConnection } from './tokens';
import { queueImport } from '../import/runs';
import { jobberSettings } from '../settings';

export const CONNECT_PATH = '/oauth/jobber/connect';
export const CALLBACK_PATH = '/oauth/jobber/callback';
/** Holds the state in the browser that started the connection, so only that browser can finish it. */
export const STATE_COOKIE = 'hookport_jobber_state';
const STATE_TTL_SECONDS = 600;

/**
 * The cookie's Path as the browser sees it: behind a proxy that serves Hookport under a path
 * (PUBLIC_BASE_URL https://x.example/hookport), the callback is /hookport/oauth/jobber/callback.
 */
export function stateCookiePath(publicBaseUrl: string | undefined): string {
  // A ';' (which URL paths keep as is) would end the attribute: the browser's path has it encoded too.
  const base = publicBaseUrl ? new URL(publicBaseUrl).pathname.replace(/\/+$/, '').replace(/;/g, '%3B') : '';
  return `${base}/oauth/jobber`;
}

function stateCookie(config: Config, value: string, maxAge: number): string {
  const secure = config.publicBaseUrl?.startsWith('https://') ? '; Secure' : '';
  return `${STATE_COOKIE}=${value}; Max-Age=${maxAge}; Path=${stateCookiePath(config.publicBaseUrl)}; HttpOnly; SameSite=Lax${secure}`;
}

/** The state cookie's value, if the request carries it. */
function cookieState(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === STATE_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The first setting the OAuth flow lacks, if any. */
function missingSetting(config: Config): string | undefined {
  const { clientId, clientSecrets } = jobberSettings.of(config);
  if (!clientId) return 'JOBBER_CLIENT_ID';
  if (clientSecrets.length === 0) return 'JOBBER_CLIENT_SECRET';
  if (!config.publicBaseUrl) return 'PUBLIC_BASE_URL';
  return undefined;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Why connecting failed, in words safe for any browser: never text Jobber or a library wrote. */
function publicReason(err: unknown): string {
  if (err instanceof JobberOAuthError) return err.message;
  if (err instanceof JobberApiError) return `could not connect the account: ${err.publicMessage}`;
  return 'could not connect the account; the server log has the reason';
}

function fail(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

/**
 * GET /oauth/jobber/connect (a signed-in operator) → Jobber's consent page; GET /oauth/jobber/callback ← Jobber, with a
 * code.
 */
export function jobberRoutes({ config, db, logger, requireOperator }: ProviderRouteDeps): express.Router {
  const router = express.Router();
  const redirectUri = `${config.publicBaseUrl}${CALLBACK_PATH}`;
  const jobber = jobberSettings.of(config);

  // Only a signed-in operator may connect an account (else anyone could attach their Jobber account here).
  router.get(CONNECT_PATH, requireOperator, async (_req: Request, res: Response) => {
    const missing = missingSetting(config);
    if (missing) return fail(res, 503, 'provider_not_configured', `set ${missing}`);
    const authorize = new URL(`${jobber.oauthUrl}/authorize`);
    const state = await createOAuthState(db);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: jobber.clientId!,
      redirect_uri: redirectUri,
      state,
    }).toString();
    res.setHeader('set-cookie', stateCookie(config, state, STATE_TTL_SECONDS));
    res.redirect(302, authorize.toString());
  });

  router.get(CALLBACK_PATH, async (req: Request, res: Response) => {
    const missing = missingSetting(config);
    if (missing) return fail(res, 503, 'provider_not_configured', `set ${missing}`);
    const { code, state, error } = req.query;
    if (typeof error === 'string') {
      return fail(res, 400, 'authorization_denied', `Jobber did not authorize the app: ${error.slice(0, 100)}`);
    }
    if (typeof code !== 'string' || typeof state !== 'string' || code === '' || state === '') {
      return fail(res, 400, 'invalid_request', 'the callback needs code and state; start at ' + CONNECT_PATH);
    }
    // Login CSRF: a callback link from someone else's connection attempt must not connect their account here.
    const started = cookieState(req);
    if (!started || !signaturesEqual(started, state)) {
      return fail(
        res,
        400,
        'invalid_state',
        `this browser did not start this connection; start again at ${CONNECT_PATH}`,
      );
    }
    res.setHeader('set-cookie', stateCookie(config, '', 0));
    if (!(await consumeOAuthState(db, state))) {
      return fail(res, 400, 'invalid_state', `unknown, used or expired state; start again at ${CONNECT_PATH}`);
    }
    let accountId: string;
    let name: string | null;
    const secrets = [...configuredSecrets(config), code];
    try {
      const tokens = await exchangeCode(config, code, redirectUri);
      secrets.push(tokens.accessToken, tokens.refreshToken ?? '');
      const answer = await readAnswer<{ account: { id: string; name: string | null } | null }>(
        await post(config, tokens.accessToken, ACCOUNT_QUERY, {}),
        { secrets },
      );
      if (!answer.account) throw new Error('Jobber answered no account for the new token');
      ({ id: accountId, name } = answer.account);
      const by = { actor: 'console', address: clientAddress(req) };
      await db.transaction(async (tx) => {
        await storeConnection(config, tx, accountId, name, tokens);
        // Its existing clients, jobs and invoices: the background runner takes this within seconds.
        await queueImport(tx, accountId);
        await recordAudit(tx, { by, action: 'jobber.connect', target: accountId });
      });
    } catch (err) {
      // The browser gets a status and an error code at most; Jobber's own text, scrubbed, goes to the log.
      const detail = err instanceof JobberOAuthError && err.detail ? { detail: scrubSecrets(err.detail, secrets) } : {};
      logger.warn('jobber connect failed', { error: scrubSecrets(errorMessage(err), secrets), ...detail });
      return fail(res, 502, 'jobber_connect_failed', publicReason(err));
    }
    logger.info('jobber account connected', { accountId });
    res.format({
      json: () => res.json({ connected: true, accountId, name }),
      default: () =>
        res
          .type('html')
          .send(
            `<!doctype html><meta charset="utf-8"><title>Jobber connected</title>` +
              `<h1>Jobber account ${escapeHtml(name ?? accountId)} is connected</h1>` +
              `<p>Hookport is importing its clients, jobs and invoices in the background; follow it on the ` +
              `console's Jobber accounts page or with <code>hookport jobber import</code>.</p>`,
          ),
    });
  });

  return router;
}

import express, { type Request, type Response } from 'express';
import {
  clientAddress,
  type Config,
  configuredSecrets,
  errorMessage,
  type ProviderRouteDeps,
  recordAudit,
  scrubSecrets,
  signaturesEqual,
} from '../../../src/provider';
import { thumbtackApi } from '../api';
import { thumbtackSettings } from '../settings';
import type { ConnectedBusiness } from '../tables';
import { CONNECT_PATH } from '../token';
import { consumeOAuthState, createOAuthState } from './state';
import { exchangeCode, ThumbtackOAuthError } from './token-endpoint';
import { storeConnection } from './tokens';

export { CONNECT_PATH };
export const CALLBACK_PATH = '/oauth/thumbtack/callback';
/** Holds the state in the browser that started the connection, so only that browser can finish it. */
export const STATE_COOKIE = 'hookport_thumbtack_state';
const STATE_TTL_SECONDS = 600;

/** The cookie's Path as the browser sees it, behind a proxy that serves Hookport under a path too. */
function stateCookiePath(publicBaseUrl: string | undefined): string {
  const base = publicBaseUrl ? new URL(publicBaseUrl).pathname.replace(/\/+$/, '').replace(/;/g, '%3B') : '';
  return `${base}/oauth/thumbtack`;
}

function stateCookie(config: Config, value: string, maxAge: number): string {
  const secure = config.publicBaseUrl?.startsWith('https://') ? '; Secure' : '';
  return `${STATE_COOKIE}=${value}; Max-Age=${maxAge}; Path=${stateCookiePath(config.publicBaseUrl)}; HttpOnly; SameSite=Lax${secure}`;
}

function cookieState(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === STATE_COOKIE) return value.join('=');
  }
  return undefined;
}

function missingSetting(config: Config): string | undefined {
  const { clientId, clientSecret } = thumbtackSettings.of(config);
  if (!clientId) return 'THUMBTACK_CLIENT_ID';
  if (!clientSecret) return 'THUMBTACK_CLIENT_SECRET';
  if (!config.publicBaseUrl) return 'PUBLIC_BASE_URL';
  return undefined;
}

const fail = (res: Response, status: number, error: string, message: string) =>
  void res.status(status).json({ error, message });

/**
 * GET /oauth/thumbtack/connect (a signed-in operator) → Thumbtack's consent page;
 * GET /oauth/thumbtack/callback ← Thumbtack, with a code: the tokens are stored sealed.
 */
export function thumbtackRoutes({ config, db, logger, requireOperator }: ProviderRouteDeps): express.Router {
  const router = express.Router();
  const redirectUri = `${config.publicBaseUrl}${CALLBACK_PATH}`;
  const settings = thumbtackSettings.of(config);

  // Only a signed-in operator may connect an account (else anyone could attach theirs here).
  router.get(CONNECT_PATH, requireOperator, async (_req: Request, res: Response) => {
    const missing = missingSetting(config);
    if (missing) return fail(res, 503, 'provider_not_configured', `set ${missing}`);
    const state = await createOAuthState(db);
    const authorize = new URL(`${settings.oauthUrl}/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: settings.clientId!,
      redirect_uri: redirectUri,
      scope: settings.oauthScopes,
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
      const shown = /^[A-Za-z0-9_.-]{1,64}$/.test(error) ? error : 'an error';
      return fail(res, 400, 'authorization_denied', `Thumbtack did not authorize the app: ${shown}`);
    }
    if (typeof code !== 'string' || typeof state !== 'string' || code === '' || state === '') {
      return fail(res, 400, 'invalid_request', `the callback needs code and state; start at ${CONNECT_PATH}`);
    }
    // Login CSRF: a callback link from someone else's attempt must not connect their account here.
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
    const secrets = [...configuredSecrets(config), code];
    let businesses: ConnectedBusiness[] = [];
    try {
      const tokens = await exchangeCode(config, code, redirectUri);
      secrets.push(tokens.accessToken, tokens.refreshToken ?? '');
      try {
        const api = thumbtackApi({ baseUrl: settings.apiUrl, accessToken: tokens.accessToken, secrets });
        businesses = await api.listBusinesses();
      } catch (err) {
        // Connected all the same: webhooks can be managed by business id; the setup check lists fewer.
        logger.warn('thumbtack connect: could not list the businesses', {
          error: scrubSecrets(errorMessage(err), secrets),
        });
      }
      const by = { actor: 'console', address: clientAddress(req) };
      await db.transaction(async (tx) => {
        await storeConnection(config, tx, tokens, businesses);
        const detail = { businesses: businesses.map((b) => b.businessId) };
        await recordAudit(tx, { by, action: 'thumbtack.connect', detail });
      });
    } catch (err) {
      const detail =
        err instanceof ThumbtackOAuthError && err.detail ? { detail: scrubSecrets(err.detail, secrets) } : {};
      logger.warn('thumbtack connect failed', { error: scrubSecrets(errorMessage(err), secrets), ...detail });
      const reason =
        err instanceof ThumbtackOAuthError
          ? err.message
          : 'could not connect the account; the server log has the reason';
      return fail(res, 502, 'thumbtack_connect_failed', reason);
    }
    logger.info('thumbtack account connected', { businesses: businesses.length });
    res.format({
      json: () => res.json({ connected: true, businesses }),
      default: () =>
        res
          .type('html')
          .send(
            `<!doctype html><meta charset="utf-8"><title>Thumbtack connected</title>` +
              `<h1>Thumbtack account connected</h1><p>${businesses.length} business(es). Manage their webhooks on ` +
              `the console's Thumbtack webhooks page or with <code>hookport thumbtack webhooks</code>.</p>`,
          ),
    });
  });

  return router;
}

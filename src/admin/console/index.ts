/*
 * The console put together: what every screen gets alike (security headers, form parsing, the
 * session and CSRF check, the 404 and error pages) is decided here once; the screens are in routes/.
 */

import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'winston';
import type { Config } from '../../config/config';
import type { Db } from '../../db/client';
import type { QueueStats } from '../../inbox/stats';
import type { ProviderRegistry } from '../../contract/provider';
import { errorMessage } from '../../errors/error-message';
import { SecretUnreadableError } from '../../errors/hookport-error';
import { catalogueOf, type Catalogue } from '../../events/catalogue';
import { html } from '../../html/html';
import type { AuthFailures } from '../../http/auth-failures';
import { configuredSecrets, scrubSecrets } from '../../http/redact';
import { adminConfigured } from '../auth';
import { basePath, sessionOf } from '../sessions';
import { assetsRouter } from './assets';
import { refuseUnstorable } from './forms';
import type { NavItem } from './layout';
import { signInPage } from './pages/sign-in';
import { csrfFieldOf, screenOf, signedOf, type Signed } from './render';
import { csrfMatches } from './security';
import type { Deliveries } from './subscription-screen';
import { auditRoutes } from './routes/audit';
import { deadRoutes } from './routes/dead';
import { eventTypesRoutes } from './routes/event-types';
import { eventsRoutes } from './routes/events';
import { overviewRoutes } from './routes/overview';
import { providersRoutes, type ProviderPageRoute } from './routes/providers';
import { signInRoutes } from './routes/sign-in';
import { subscriptionsRoutes } from './routes/subscriptions';
import { suppressionsRoutes } from './routes/suppressions';

export interface ConsoleOptions {
  config: Config;
  db: Db;
  logger: Logger;
  providers: ProviderRegistry;
  /** The queue figures, cached, as /health serves them. */
  queue: () => Promise<QueueStats>;
  /** Nudges the worker after a replay. */
  wake?: () => void;
  /** When this process started (the overview's uptime). */
  startedAt?: Date;
  /** Outbound deliveries: the client test sends go out through, and the delivery worker's nudge. */
  deliveries: Deliveries;
  /** Wrong admin tokens at sign-in, counted and limited with the admin API's and /metrics'. */
  authFailures: AuthFailures;
  /** The catalogue the admin API shares (with run-time instances' types); default: the registry's. */
  catalogue?: Catalogue;
}

/**
 * The console at /admin: server-rendered pages over what the admin API and /health know, signed in
 * with ADMIN_TOKEN into a database session (cookie: HttpOnly, SameSite=Strict, Secure on https).
 */
export function consoleRouter(options: ConsoleOptions): express.Router {
  const { config, db, logger, providers } = options;
  const router = express.Router();
  const scrubbed = scrubbedWith(configuredSecrets(config));
  const root = `${basePath(config)}/admin`;
  const catalogue = options.catalogue ?? catalogueOf(providers);
  // The session cookie goes to the console and to the provider routes that require an operator.
  const cookiePaths = ['/admin', ...Object.values(providers).flatMap((p) => p.operatorPaths ?? [])];
  const providerPages: ProviderPageRoute[] = Object.values(providers).flatMap((provider) =>
    (provider.consolePages ?? []).map((page) => ({
      provider: provider.name,
      page,
      href: `${root}/providers/${provider.name}/${page.path}`,
      // A page named as its provider is (a provider that is one screen) is not named twice.
      title:
        page.title.toLowerCase() === provider.name ? page.title : `${label(provider.name)} ${page.title.toLowerCase()}`,
    })),
  );
  const nav: NavItem[] = [
    { href: root, label: 'Overview' },
    { href: `${root}/events`, label: 'Events' },
    { href: `${root}/dead`, label: 'Dead letters' },
    { href: `${root}/providers`, label: 'Providers' },
    { href: `${root}/subscriptions`, label: 'Subscriptions' },
    { href: `${root}/event-types`, label: 'Event types' },
    { href: `${root}/suppressions`, label: 'Suppressions' },
    { href: `${root}/audit`, label: 'Audit log' },
    ...providerPages.map((p) => ({ href: p.href, label: p.title })),
  ];
  const screen = screenOf(root, nav);
  const { send } = screen;

  router.use((req, _res, next) => {
    // The admin API lives beside the console; it answers its own paths.
    if (req.path === '/api' || req.path.startsWith('/api/')) return next('router');
    next();
  });
  router.use(assetsRouter());
  router.use(adminConfigured(config));
  router.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 }));
  router.use(refuseUnstorable(root));

  /** The session check: a signed-out GET goes to the sign-in page, a post must carry the session's CSRF token. */
  const signedIn: RequestHandler = async (req, res, next) => {
    try {
      const session = await sessionOf(db, config, req);
      if (!session) {
        if (req.method === 'GET' || req.method === 'HEAD') {
          res.setHeader('cache-control', 'no-store');
          return res.redirect(
            303,
            `${root}/sign-in?next=${encodeURIComponent(`${root}${req.url === '/' ? '' : req.url}`)}`,
          );
        }
        return send(
          res,
          401,
          'Sign in',
          signInPage({ root, next: root, error: 'Your session has ended; sign in again.' }),
        );
      }
      const signed: Signed = { session, csrfField: csrfFieldOf(session) };
      res.locals.signed = signed;
      if (req.method === 'POST' && !csrfMatches(session, req.body ?? {})) {
        logger.info('console request refused: CSRF token missing or wrong', { path: req.path });
        return send(
          res,
          403,
          'Refused',
          html`<h1>Refused</h1><p>The form did not carry this session's token. Go back, reload the page, and try again.</p>`,
          signed,
        );
      }
      next();
    } catch (err) {
      next(err);
    }
  };

  router.use(signInRoutes(screen, { config, db, logger, cookiePaths, signedIn, authFailures: options.authFailures }));
  // Everything below needs a session.
  router.use(signedIn);
  router.use(overviewRoutes(screen, options));
  router.use(eventsRoutes(screen, options));
  router.use(deadRoutes(screen, options));
  router.use(suppressionsRoutes(screen, options));
  router.use(auditRoutes(screen, options));
  router.use(eventTypesRoutes(screen, { catalogue }));
  router.use(providersRoutes(screen, { ...options, providerPages, scrubbed }));
  router.use(
    subscriptionsRoutes(screen, {
      db,
      config: config.deliveries,
      logger,
      deliveries: options.deliveries,
      catalogue,
      box: config.secretBox,
    }),
  );

  router.use((_req, res) => {
    send(
      res,
      404,
      'Not found',
      html`<h1>Not found</h1><p><a href="${root}">Back to the overview</a></p>`,
      signedOf(res),
    );
  });
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof SecretUnreadableError) {
      logger.error('console page failed', { error: err.message });
      const body = html`<h1>Secret unreadable</h1><p>${err.message}.</p>`;
      return send(res, err.status, 'Secret unreadable', body, res.locals.signed as Signed | undefined);
    }
    // A request the body parser refused (too large, malformed) is the client's; anything else is ours.
    const given = (err as { status?: unknown } | null)?.status;
    const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
    if (status >= 500) logger.error('console page failed', { error: scrubbed(err) });
    else logger.info('console request refused', { status, error: scrubbed(err) });
    const body =
      status >= 500
        ? html`<h1>Something went wrong</h1><p>The server log has the reason.</p>`
        : html`<h1>Refused</h1><p>The request could not be read (status ${status}).</p>`;
    send(res, status, 'Error', body, res.locals.signed as Signed | undefined);
  });
  return router;
}

/** An error's text for the log, without any configured secret. */
const scrubbedWith = (secrets: readonly string[]) => (err: unknown) => scrubSecrets(errorMessage(err), secrets);

/** A provider name as a label: its first letter capitalised. */
export const label = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

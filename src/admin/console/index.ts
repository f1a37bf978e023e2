import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import type { Config } from '../../config/config';
import type { Db } from '../../db/client';
import type { QueueStats } from '../../inbox/stats';
import type { ProviderRegistry } from '../../contract/provider';
import { errorMessage } from '../../errors/error-message';
import { configuredSecrets, scrubSecrets } from '../../http/redact';
import { adminConfigured, tokenMatches } from '../auth';
import {
  basePath,
  createSession,
  deleteSession,
  SESSION_TTL_SECONDS,
  sessionCookies,
  sessionOf,
  type Session,
} from '../sessions';
import { assetsRouter } from './assets';
import { confirmPage } from '../../html/components';
import { html, type Html } from '../../html/html';
import { layout, type NavItem } from './layout';
import type { ConsoleContext, ConsoleOutcome } from '../../contract/console-page';
import { CSRF_FIELD, csrfMatches, securityHeaders } from './security';
import { signInPage } from './pages/sign-in';
import { eventsPage } from './pages/events';
import { eventPage } from './pages/event';
import { deadPage } from './pages/dead';
import { providersPage } from './pages/providers';
import { overviewPage } from './pages/overview';
import { suppressionsPage } from './pages/suppressions';
import { eventTypesPage } from './pages/event-types';
import { catalogueOf } from '../../events/catalogue';
import { unstorableMessage, unstorablePlace } from '../../text/storable-text';
import { subscriptionConsole, type SubscriptionConsoleOptions } from './subscription-routes';
import { getEvent, listEvents } from '../../inbox/event-list';
import { replayEvent, replayMatching } from '../../inbox/replay';

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
  deliveries: SubscriptionConsoleOptions['deliveries'];
}

/** A failed sign-in answers after this pause: guessing costs time (ADMIN_TOKEN has 32+ characters anyway). */
const FAILED_SIGN_IN_DELAY_MS = 750;

interface Signed {
  session: Session;
  csrfField: Html;
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
  // The session cookie goes to the console and to the provider routes that require an operator.
  const cookiePaths = ['/admin', ...Object.values(providers).flatMap((p) => p.operatorPaths ?? [])];
  const providerPages = Object.values(providers).flatMap((provider) =>
    (provider.consolePages ?? []).map((page) => ({ provider: provider.name, page, href: `${root}/providers/${provider.name}/${page.path}` })),
  );
  const nav: NavItem[] = [
    { href: root, label: 'Overview' },
    { href: `${root}/events`, label: 'Events' },
    { href: `${root}/dead`, label: 'Dead letters' },
    { href: `${root}/providers`, label: 'Providers' },
    { href: `${root}/subscriptions`, label: 'Subscriptions' },
    { href: `${root}/event-types`, label: 'Event types' },
    { href: `${root}/suppressions`, label: 'Suppressions' },
    ...providerPages.map((p) => ({ href: p.href, label: `${label(p.provider)} ${p.page.title.toLowerCase()}` })),
  ];

  router.use((req, res, next) => {
    // The admin API lives beside the console; it answers its own paths.
    if (req.path === '/api' || req.path.startsWith('/api/')) return next('router');
    securityHeaders(req, res, next);
  });
  router.use(assetsRouter());
  router.use(adminConfigured(config));
  router.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 }));
  // A field the database cannot store is refused here, for every form, rather than failing its write.
  router.use((req, res, next) => {
    const place = req.method === 'POST' ? unstorablePlace(req.body) : null;
    if (place === null) return next();
    res.status(400).type('html').send(layout({ title: 'Not saved', root, body: html`<h1>Not saved</h1><p>${unstorableMessage(`field ${place}`)}.</p>` }).text);
  });

  const send = (res: Response, status: number, title: string, body: Html, signed?: Pick<Signed, 'csrfField'>, current = '', notice?: { text: string; error?: boolean }) => {
    res.setHeader('cache-control', 'no-store');
    res
      .status(status)
      .type('html')
      .send(layout({ title, root, body, notice, nav: signed ? { items: nav, current, csrfField: signed.csrfField } : undefined }).text);
  };
  const safeNext = (value: unknown) =>
    typeof value === 'string' && value.startsWith(`${root}`) && !value.startsWith('//') && !/[\\\s]/.test(value) ? value : root;

  router.get('/sign-in', (req, res) => {
    send(res, 200, 'Sign in', signInPage({ root, next: safeNext(req.query.next) }));
  });

  router.post('/sign-in', async (req, res, next) => {
    try {
      const token = typeof req.body?.token === 'string' ? (req.body.token as string) : '';
      if (!token || !tokenMatches(config, token)) {
        logger.info('console sign-in refused', { reason: token ? 'wrong token' : 'no token' });
        await new Promise((resolve) => setTimeout(resolve, FAILED_SIGN_IN_DELAY_MS));
        return send(res, 401, 'Sign in', signInPage({ root, next: safeNext(req.body?.next), error: 'That is not the admin token.' }));
      }
      const { token: sessionToken } = await createSession(db);
      res.setHeader('set-cookie', sessionCookies(config, cookiePaths, sessionToken, SESSION_TTL_SECONDS));
      logger.info('console sign-in');
      res.redirect(303, safeNext(req.body?.next));
    } catch (err) {
      next(err);
    }
  });

  // Everything below needs a session.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const session = await sessionOf(db, req);
      if (!session) {
        if (req.method === 'GET' || req.method === 'HEAD') {
          res.setHeader('cache-control', 'no-store');
          return res.redirect(303, `${root}/sign-in?next=${encodeURIComponent(`${root}${req.url === '/' ? '' : req.url}`)}`);
        }
        return send(res, 401, 'Sign in', signInPage({ root, next: root, error: 'Your session has ended; sign in again.' }));
      }
      const signed: Signed = { session, csrfField: html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}">` };
      res.locals.signed = signed;
      if (req.method === 'POST' && !csrfMatches(session, req.body ?? {})) {
        logger.info('console request refused: CSRF token missing or wrong', { path: req.path });
        return send(res, 403, 'Refused', html`<h1>Refused</h1><p>The form did not carry this session's token. Go back, reload the page, and try again.</p>`, signed);
      }
      next();
    } catch (err) {
      next(err);
    }
  });
  const signedOf = (res: Response) => res.locals.signed as Signed;

  router.post('/sign-out', async (req, res, next) => {
    try {
      await deleteSession(db, signedOf(res).session.tokenHash);
      res.setHeader('set-cookie', sessionCookies(config, cookiePaths, '', 0));
      logger.info('console sign-out');
      res.redirect(303, `${root}/sign-in`);
    } catch (err) {
      next(err);
    }
  });

  const page =
    (handler: (req: Request, res: Response, signed: Signed) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
      handler(req, res, signedOf(res)).catch(next);

  router.get(
    '/',
    page(async (_req, res, signed) => {
      send(res, 200, 'Overview', await overviewPage({ ...options, root }), signed, root);
    }),
  );

  router.get(
    '/events',
    page(async (req, res, signed) => {
      const view = await eventsPage({ db, root, providers: Object.keys(providers), query: firstValues(req.query), listEvents });
      send(res, view.status, 'Events', view.body, signed, `${root}/events`);
    }),
  );

  router.get(
    '/events/:id',
    page(async (req, res, signed) => {
      const id = String(req.params.id);
      const event = /^[0-9a-f-]{36}$/i.test(id) ? await getEvent(db, id) : undefined;
      if (!event) return send(res, 404, 'Not found', html`<h1>No such event</h1><p><a href="${root}/events">All events</a></p>`, signed);
      const notice = req.query.replayed === '1' ? { text: 'Queued for replay: it is processed again from its stored bytes.' } : undefined;
      send(res, 200, `Event ${event.eventType}`, eventPage({ root, event, csrfField: signed.csrfField }), signed, `${root}/events`, notice);
    }),
  );

  router.post(
    '/events/:id/replay',
    page(async (req, res, signed) => {
      const id = String(req.params.id);
      const outcome = /^[0-9a-f-]{36}$/i.test(id) ? await replayEvent(db, id) : 'not_found';
      if (outcome === 'not_found') return send(res, 404, 'Not found', html`<h1>No such event</h1>`, signed);
      if (outcome === 'in_flight') {
        const event = await getEvent(db, id);
        return send(res, 409, 'Event', eventPage({ root, event: event!, csrfField: signed.csrfField }), signed, `${root}/events`, {
          text: 'A worker is processing this event right now; replay it once it has finished.',
          error: true,
        });
      }
      logger.info('console replayed an event', { id });
      options.wake?.();
      res.redirect(303, `${root}/events/${id}?replayed=1`);
    }),
  );

  router.get(
    '/dead',
    page(async (req, res, signed) => {
      const view = await deadPage({ db, root, csrfField: signed.csrfField, listEvents, replayMatching, query: firstValues(req.query) });
      send(res, 200, 'Dead letters', view, signed, `${root}/dead`, deadNotice(req.query));
    }),
  );

  router.post(
    '/dead/replay',
    page(async (req, res, signed) => {
      if (req.body?.confirmed !== 'yes') {
        const { matched } = await replayMatching(db, { status: 'dead' }, { dryRun: true });
        const question = `Replay all ${matched} dead event${matched === 1 ? '' : 's'}? Each is processed again from its stored bytes.`;
        return send(res, 200, 'Confirm', confirmPage(question, `${root}/dead/replay`, signed.csrfField, {}, `${root}/dead`), signed, `${root}/dead`);
      }
      const result = await replayMatching(db, { status: 'dead' }, { dryRun: false });
      logger.info('console replayed dead events', result);
      options.wake?.();
      res.redirect(303, `${root}/dead?replayed=${result.replayed}`);
    }),
  );

  router.get(
    '/suppressions',
    page(async (req, res, signed) => {
      const view = await suppressionsPage({ db, root, query: firstValues(req.query) });
      send(res, view.status, 'Suppressions', view.body, signed, `${root}/suppressions`);
    }),
  );

  router.get(
    '/event-types',
    page(async (req, res, signed) => {
      send(res, 200, 'Event types', eventTypesPage({ root, catalogue: catalogueOf(providers), query: firstValues(req.query) }), signed, `${root}/event-types`);
    }),
  );

  router.get(
    '/providers',
    page(async (_req, res, signed) => {
      send(res, 200, 'Providers', await providersPage({ ...options, root, providerPages }), signed, `${root}/providers`);
    }),
  );

  for (const { provider, page: providerPage, href } of providerPages) {
    const title = `${label(provider)} ${providerPage.title.toLowerCase()}`;
    const context = (req: Request, signed: Signed): ConsoleContext => ({
      config,
      db,
      logger,
      query: firstValues(req.query),
      form: req.method === 'POST' ? firstValues(req.body ?? {}) : {},
      csrfField: signed.csrfField,
      url: href,
    });
    const path = `/providers/${provider}/${providerPage.path}`;
    router.get(
      path,
      page(async (req, res, signed) => {
        const view = await providerPage.render(context(req, signed));
        send(res, view.status ?? 200, title, view.body, signed, href);
      }),
    );
    if (providerPage.act) {
      const act = providerPage.act.bind(providerPage);
      router.post(
        path,
        page(async (req, res, signed) => {
          const ctx = context(req, signed);
          let outcome: ConsoleOutcome;
          try {
            outcome = await act(ctx);
          } catch (err) {
            logger.warn('console action failed', { provider, page: providerPage.path, error: scrubbed(err) });
            outcome = { error: 'That did not work; the server log has the reason.', status: 500 };
          }
          if ('confirm' in outcome) {
            // Posted again to the same address (its query names what the page shows, e.g. a business).
            const self = `${basePath(config)}${req.originalUrl}`;
            return send(res, 200, 'Confirm', confirmPage(outcome.confirm, self, signed.csrfField, ctx.form, self), signed, href);
          }
          // The page as it is now, with what happened above it.
          const view = await providerPage.render({ ...ctx, form: {} });
          const status = 'error' in outcome ? (outcome.status ?? 400) : (view.status ?? 200);
          const notice = 'error' in outcome ? { text: outcome.error, error: true } : { text: outcome.notice };
          send(res, status, title, view.body, signed, href, notice);
        }),
      );
    }
  }

  subscriptionConsole(router, { root, db, config: config.deliveries, logger, deliveries: options.deliveries, catalogue: catalogueOf(options.providers), send, page });

  router.use((_req, res) => {
    send(res, 404, 'Not found', html`<h1>Not found</h1><p><a href="${root}">Back to the overview</a></p>`, signedOf(res));
  });
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
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

function firstValues(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

function deadNotice(query: Request['query']): { text: string } | undefined {
  const replayed = query.replayed;
  if (typeof replayed !== 'string' || !/^\d+$/.test(replayed)) return undefined;
  return { text: `Queued ${replayed} dead event${replayed === '1' ? '' : 's'} for replay.` };
}

/*
 * Each provider's setup, and the pages a provider adds to the console: the console renders them in
 * its layout and checks their forms (session, CSRF) so that a provider writes only its own content.
 */

import express, { type Request } from 'express';
import type { ProviderRegistry } from '../../../contract/provider';
import type { ConsoleContext, ConsoleOutcome, ConsolePage } from '../../../contract/console-page';
import { confirmPage } from '../../../html/components';
import { basePath } from '../../sessions';
import { consoleBy } from '../../../audit/actors';
import { firstValues } from '../forms';
import { providersPage } from '../pages/providers';
import { page, type Screen, type Signed } from '../render';

/** A page a provider adds, where it is mounted, and its title (as in the navigation). */
export interface ProviderPageRoute {
  provider: string;
  page: ConsolePage;
  href: string;
  title: string;
}

/** What a provider's page is given (its context), and what the providers page lists. */
export interface ProvidersOptions extends Pick<ConsoleContext, 'config' | 'db' | 'logger'> {
  providers: ProviderRegistry;
  providerPages: readonly ProviderPageRoute[];
  /** An error's text for the log, without any configured secret. */
  scrubbed: (err: unknown) => string;
}

export function providersRoutes({ root, send }: Screen, options: ProvidersOptions): express.Router {
  const { config, db, logger, providerPages, scrubbed } = options;
  const router = express.Router();

  router.get(
    '/providers',
    page(async (_req, res, signed) => {
      send(res, 200, 'Providers', await providersPage({ ...options, root }), signed, `${root}/providers`);
    }),
  );

  for (const { provider, page: providerPage, href, title } of providerPages) {
    const context = (req: Request, signed: Signed): ConsoleContext => ({
      config,
      db,
      logger,
      query: firstValues(req.query),
      form: req.method === 'POST' ? firstValues(req.body ?? {}) : {},
      csrfField: signed.csrfField,
      url: href,
      by: consoleBy(req, signed.session),
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
            return send(
              res,
              200,
              'Confirm',
              confirmPage(outcome.confirm, self, signed.csrfField, ctx.form, self),
              signed,
              href,
            );
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
  return router;
}

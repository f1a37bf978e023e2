import express, { type Request, type Response } from 'express';
import type { Logger } from 'winston';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { answerOf, requestError } from '../../errors/error-answer';
import type { AuthFailures } from '../../http/auth-failures';
import { sendHttpError } from '../../http/errors';
import { errorMessage } from '../../errors/error-message';
import { HookportError, InvalidRequestError, NotFoundError } from '../../errors/hookport-error';
import { unstorableMessage, unstorablePlace } from '../../text/storable-text';
import { adminConfigured, requireAdminBearer } from '../auth';
import { openApiDocument, type WebhookType } from './openapi';
import type { AdminRoute } from '../../contract/admin-route';
import { errorAnswerSchema } from './schemas';
import { apiBy } from '../../audit/actors';

export interface AdminApiOptions {
  config: Config;
  logger: Logger;
  routes: readonly AdminRoute[];
  version: string;
  /** The event types the document lists under OpenAPI `webhooks` (the catalogue's, as it is now). */
  webhooks?: () => readonly WebhookType[];
  /** Wrong bearer tokens, counted and limited with the console's and /metrics' wrong credentials. */
  authFailures: AuthFailures;
}

const invalid = (req: Request, res: Response, message: string) =>
  sendHttpError(req, res, new InvalidRequestError(message));
const bodyTooLarge = () => new HookportError('payload_too_large', 'admin request bodies are limited to 64 KiB');

const describeIssues = (error: z.ZodError) =>
  error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/**
 * /admin/api: 503 while ADMIN_TOKEN is unset, then the bearer check, then each route with its
 * parameters, query and body validated by its schemas, and its answer checked against the schema
 * the OpenAPI document gives for that status.
 */
export function adminApiRouter({
  config,
  logger,
  routes,
  version,
  webhooks = () => [],
  authFailures,
}: AdminApiOptions): express.Router {
  const router = express.Router();
  // Written again only when the catalogue changed (a source was added or removed).
  let written: { types: readonly WebhookType[]; document: ReturnType<typeof openApiDocument> } | undefined;
  const document = () => {
    const types = webhooks();
    if (written?.types !== types) written = { types, document: openApiDocument(routes, version, types) };
    return written.document;
  };
  router.use(adminConfigured(config));
  router.get('/openapi.json', (_req, res) => void res.json(document()));
  router.use(requireAdminBearer(config, authFailures));
  router.use(express.json({ limit: '64kb', type: () => true }));

  for (const r of routes) {
    router[r.method](r.path, async (req: Request, res: Response) => {
      const inputs = {} as Record<'params' | 'query' | 'body', unknown>;
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = r[part];
        if (!schema) continue;
        const given: unknown = part === 'body' ? (req.body ?? {}) : req[part];
        const unstorable = unstorablePlace(given);
        if (unstorable !== null)
          return void invalid(
            req,
            res,
            unstorableMessage(`${part === 'params' ? 'path' : part}${unstorable ? `.${unstorable}` : ''}`),
          );
        const parsed = schema.safeParse(given);
        if (!parsed.success)
          return void invalid(req, res, `${part === 'params' ? 'path' : part}: ${describeIssues(parsed.error)}`);
        inputs[part] = parsed.data;
      }
      let answer;
      try {
        answer = await r.handle({ ...inputs, by: apiBy(req) } as never);
      } catch (err) {
        if (err instanceof HookportError) answer = answerOf(err);
        else {
          // The handlers only read and write the database: failing, it is unavailable or overloaded.
          logger.warn('admin request failed', {
            route: `${r.method.toUpperCase()} ${r.path}`,
            error: errorMessage(err),
          });
          return void sendHttpError(
            req,
            res,
            new HookportError('database_unavailable', 'the database did not answer; retry later'),
          );
        }
      }
      const schema = r.responses[answer.status]?.schema ?? (answer.status >= 400 ? errorAnswerSchema : undefined);
      const checked = schema?.safeParse(answer.body);
      if (!checked?.success) {
        logger.error('admin answer does not match its schema', {
          route: r.path,
          status: answer.status,
          issues: checked ? describeIssues(checked.error) : 'no schema',
        });
        return void sendHttpError(req, res, new HookportError('internal_error', 'internal error'));
      }
      res.status(answer.status).json(checked.data);
    });
  }
  router.use((req, res) => void sendHttpError(req, res, new NotFoundError('no such admin API route')));
  router.use((err: unknown, req: Request, res: Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const error = requestError(err, bodyTooLarge);
    if (error.status >= 500) return next(err);
    sendHttpError(req, res, error);
  });
  return router;
}

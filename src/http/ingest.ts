import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import type { Config } from '../config/config';
import type { Db } from '../db/client';
import { storableIdentity } from '../inbox/storable-key';
import { UploadBudgets, type Upload } from './upload-budgets';
import { ClientGone, readWebhookBody } from './webhook-body';
import { addressOf } from './auth-failures';
import { InboxWriter, type LocalClaims } from '../inbox/writer';
import type { ActivityObserver } from '../activity/observer';
import type {
  AnyProvider,
  Identity,
  OutboundHttp,
  ProviderRegistry,
  RawRequest,
  RequestHead,
} from '../contract/provider';
import { HookportError, NotFoundError, TooManyRequestsError } from '../errors/hookport-error';
import { LogSampler } from '../log/sampler';
import { FailureWindows } from './failure-windows';
import { bodyTooLarge, compressedBody, contentEncodingOf, sendHttpError, toHttpError } from './errors';
import { redactHeaders } from './redact';
import { withTimeout } from './timeout';
import { errorMessage } from '../errors/error-message';
import { endWebhookSpan, startWebhookSpan } from '../tracing/webhook-span';
import { traceparentOf, withSpan } from '../tracing/context';
import type { Span } from '@opentelemetry/api';

export interface IngestOptions {
  config: Config;
  db: Db;
  logger: Logger;
  providers: ProviderRegistry;
  /** Called after a new event is committed unclaimed, to wake the in-process worker. */
  onStored?: (id: string) => void;
  /** Called once per committed insert of new unclaimed events (one insert carries many webhooks under load). */
  onBatchStored?: () => void;
  /** The in-process worker, which takes the events it has room for as they are stored. */
  claims?: LocalClaims;
  /** Told of every answer (Prometheus metrics, stored counts). */
  activity?: ActivityObserver;
  /** The way out for a provider's answer that posts elsewhere (deliveries' client). */
  http: OutboundHttp;
}

const INSERTS_IN_FLIGHT = 2;

/** The 401 lines written a second under a flood of forged requests; the rest are counted, not written. */
export const REFUSAL_LINES_PER_SECOND = 20;

interface WebhookContext {
  /** As asked for, then as stored (`source:github`) once known. */
  provider: string;
  /** The metric's label: a registered name or an instance's; unset: "unknown". */
  label?: string;
  started: bigint;
  outcome: string;
  eventType?: string;
  dedupeKey?: string;
  id?: string;
  /** The request's server span, with tracing on. */
  span?: Span;
}

/**
 * POST /webhooks/:provider (and the paths a provider adds, `webhookPaths`) — one handler for every provider:
 * headers pre-check → raw bytes within the provider's limit → verify → identify → one insert → ack.
 */
export function ingestRouter(options: IngestOptions): express.Router {
  const { config, db, logger, providers } = options;
  const verifiers = new Map(Object.values(providers).map((p) => [p.name, p.createVerifier(config)] as const));
  const prechecks = new Map(
    Object.values(providers).map(
      (p) => [p.name, verifiers.get(p.name) ? p.createPrecheck?.(config) : undefined] as const,
    ),
  );
  const bodyLimits = new Map(Object.values(providers).map((p) => [p.name, config.bodyLimits[p.name]!] as const));
  // Shared out between the providers that take webhooks: the others answer 503 before any body.
  const budgets = new UploadBudgets(
    config.ingestMaxBufferedBytes,
    Object.fromEntries([...bodyLimits].filter(([name]) => verifiers.get(name))),
    config.webhookUploads.perAddress,
  );
  const limit401 = config.webhookUploads.refusalsPerAddress;
  const refusals =
    limit401 > 0 ? new FailureWindows({ perAddress: limit401, overall: Infinity, windowMs: 60_000 }) : undefined;
  const refusalLines = new LogSampler(REFUSAL_LINES_PER_SECOND, (omitted) =>
    logger.info('webhook refusals not logged', { omitted, status: 401, perSecond: REFUSAL_LINES_PER_SECOND }),
  );
  const router = express.Router();
  // Two inserts in flight: one commits while the next batch gathers. More, smaller batches cost more
  // round trips and commits per webhook (the figures: docs/performance.md).
  const inbox = new InboxWriter(db, Math.min(INSERTS_IN_FLIGHT, config.database.poolSize), {
    onCommitted: options.onBatchStored,
    claims: options.claims,
  });

  /** What the request path needs of whoever receives a webhook: a provider, or one of its instances. */
  interface Receiver {
    /** The name it is stored and counted under (a provider's name, or `<label>:<instance>`). */
    name: string;
    provider: AnyProvider;
    precheck?: (head: RequestHead) => void;
    verify: (request: RawRequest) => void;
    identify: (request: RawRequest) => Identity;
    credentialHeaders: readonly string[];
  }
  const receivers = new Map<string, Receiver>();
  for (const p of Object.values(providers)) {
    const verify = verifiers.get(p.name);
    if (verify && !p.instances)
      receivers.set(p.name, {
        name: p.name,
        provider: p,
        precheck: prechecks.get(p.name),
        verify,
        identify: (request) => p.identify(request),
        credentialHeaders: p.credentialHeaders,
      });
  }
  const deps = { config, db, logger };
  /** The instance of a provider that has them, or a HookportError (404 for none, 503 without the database). */
  const instanceReceiver = async (provider: AnyProvider, name: string): Promise<Receiver | HookportError> => {
    const instances = provider.instances!;
    let found;
    try {
      found = (await instances.directory(deps).current()).find((i) => i.name === name && i.enabled);
    } catch (err) {
      logger.error('could not read the instances of a provider', { provider: provider.name, error: errorMessage(err) });
      return new HookportError('database_unavailable', 'the event store is unavailable; retry later');
    }
    if (!found) return new NotFoundError(`no ${instances.label} named "${name}" (or it is disabled)`);
    return {
      name: `${instances.label}:${found.name}`,
      provider,
      precheck: (head) => found.precheck(head),
      verify: (request) => found.verify(request),
      identify: (request) => found.identify(request),
      credentialHeaders: found.credentialHeaders,
    };
  };

  const begin = (
    route: string,
    target: (req: Request) => { provider: string; instance?: string },
  ): express.RequestHandler => {
    const handle = webhookHandler(target);
    return (req, res, next) => {
      const span = startWebhookSpan(route);
      if (!span) return handle(req, res, next);
      // 'close' comes after 'finish', and also when the sender hung up before any answer.
      res.on('close', () => {
        const context = res.locals.webhook as WebhookContext;
        // The bounded name the metrics use: any path segment may arrive as a provider.
        const answer = { ...context, provider: context.label ?? 'unknown' };
        if (res.headersSent) endWebhookSpan(span, { ...answer, status: res.statusCode });
        else endWebhookSpan(span, { ...answer, outcome: 'client_closed' });
      });
      // Active for the rest of the request, so its log lines carry the trace id.
      withSpan(span, () => handle(req, res, next, span));
    };
  };
  const webhookHandler =
    (target: (req: Request) => { provider: string; instance?: string }) =>
    (req: Request, res: Response, next: NextFunction, span?: Span) => {
      const wanted = target(req);
      const context: WebhookContext = {
        provider: wanted.provider,
        started: process.hrtime.bigint(),
        outcome: 'error',
        span,
      };
      res.locals.webhook = context;
      res.on('finish', () => {
        if (res.statusCode !== 401 || refusalLines.admit()) logWebhook(logger, context, res.statusCode);
        // Any path segment may arrive: only registered names (and existing instances) become label
        // values, so the cardinality stays bounded.
        options.activity?.webhookAnswered(
          context.label ?? 'unknown',
          context.outcome,
          Number(process.hrtime.bigint() - context.started) / 1e9,
        );
      });
      const provider = Object.hasOwn(providers, wanted.provider) ? providers[wanted.provider] : undefined;
      if (!provider) {
        // The metric keeps its own outcome for this; the answer is the one 404.
        context.outcome = 'unknown_provider';
        return next(new NotFoundError(`no webhook provider named "${wanted.provider}"`));
      }
      context.label = provider.name;
      if (!verifiers.get(provider.name)) {
        return next(new HookportError('provider_not_configured', `set ${provider.requiredEnv}`));
      }
      if (!provider.instances) {
        if (wanted.instance !== undefined) return next(new NotFoundError('no such route'));
        return receive(req, res, next, receivers.get(provider.name)!);
      }
      if (wanted.instance === undefined) {
        context.outcome = 'unknown_provider';
        return next(new NotFoundError(`"${provider.name}" takes webhooks at /webhooks/${provider.name}/<name>`));
      }
      instanceReceiver(provider, wanted.instance).then(
        (found) => {
          if (found instanceof HookportError) {
            if (found.status === 404) context.outcome = 'unknown_provider';
            return next(found);
          }
          context.provider = context.label = found.name;
          receive(req, res, next, found);
        },
        (err: unknown) => next(err),
      );
    };

  /** The checks before the body, then the body within its limit; `next` once it is read. */
  const receive = (req: Request, res: Response, next: NextFunction, receiver: Receiver) => {
    res.locals.receiver = receiver;
    const wait = refusals?.retryAfter(addressOf(req));
    if (wait !== undefined) {
      return next(
        new TooManyRequestsError(
          `too many refused webhooks from this address (WEBHOOK_REFUSALS_PER_ADDRESS); retry in ${wait} s`,
          wait,
        ),
      );
    }
    const limit = bodyLimits.get(receiver.provider.name)!;
    const declared = Number(req.headers['content-length']);
    let refusal;
    try {
      refusal = refusalBeforeBody(req, receiver, limit, declared);
    } catch (err) {
      return next(err);
    }
    if (refusal) return next(refusal);
    const upload = budgets.open(receiver.provider.name, addressOf(req));
    if (upload instanceof HookportError) return next(upload);
    res.locals.upload = upload;
    res.on('close', () => upload.close());
    readWebhookBody(req, upload, limit, config.webhookUploads).then(
      (body) => {
        req.body = body;
        next();
      },
      (err: unknown) => {
        if (err instanceof ClientGone) return;
        // The rest of a refused body is not read: the connection ends with the answer.
        res.on('finish', () => req.destroy());
        next(err);
      },
    );
  };
  const store = async (req: Request, res: Response) => {
    const context = res.locals.webhook as WebhookContext;
    const receiver = res.locals.receiver as Receiver;
    const provider = receiver.provider;
    const request: RawRequest = {
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: req.headers as Record<string, string | undefined>,
      url: req.originalUrl,
    };
    receiver.verify(request);
    (res.locals.upload as Upload).verified();
    // As stored: a 4 KB or NUL-carrying key is logged and answered in the form it is kept in.
    const identity = storableIdentity(receiver.identify(request));
    Object.assign(context, identity);

    let stored;
    try {
      stored = await withTimeout(
        inbox.append({
          provider: receiver.name,
          ...identity,
          headers: redactHeaders(req.headers, receiver.credentialHeaders),
          body: request.body,
          requestPath: req.originalUrl,
          traceparent: context.span && traceparentOf(context.span),
        }),
        config.database.timeoutMs * 2,
      );
    } catch (err) {
      logger.error('could not store webhook', { provider: receiver.name, error: errorMessage(err) });
      throw new HookportError('database_unavailable', 'the event store is unavailable; retry later');
    }
    context.id = stored.id;
    context.outcome = stored.duplicate ? 'duplicate' : 'stored';
    if (!stored.duplicate && !stored.claimed) options.onStored?.(stored.id);

    const custom = await provider.respond?.({ ack: stored, request, config, db, logger, http: options.http });
    if (custom) {
      res.status(200).type(custom.contentType).send(custom.body);
    } else {
      res.status(200).json({ received: true, id: stored.id, duplicate: stored.duplicate });
    }
  };
  router.post(
    '/webhooks/:provider',
    begin('/webhooks/:provider', (req) => ({ provider: String(req.params.provider ?? '') })),
    store,
  );
  router.post(
    '/webhooks/:provider/:instance',
    begin('/webhooks/:provider/:instance', (req) => ({
      provider: String(req.params.provider ?? ''),
      instance: String(req.params.instance ?? ''),
    })),
    store,
  );
  const extraPaths = Object.values(providers).flatMap((p) => (p.webhookPaths ?? []).map((path) => [path, p.name]));
  for (const [path, name] of extraPaths)
    router.post(
      path!,
      begin(path!, () => ({ provider: name! })),
      store,
    );

  /**
   * What can be refused from the headers alone, so its body is never read: credentials that cannot
   * be genuine (401), a compressed body (415), a declared length over the provider's limit (413).
   */
  function refusalBeforeBody(
    req: Request,
    receiver: Receiver,
    limit: number,
    declared: number,
  ): HookportError | undefined {
    receiver.precheck?.({
      headers: req.headers as Record<string, string | undefined>,
      url: req.originalUrl,
    });
    const encoding = contentEncodingOf(req);
    if (encoding) return compressedBody(encoding);
    if (declared > limit) return bodyTooLarge(limit);
    return undefined;
  }

  router.use(
    ['/webhooks', ...extraPaths.map(([path]) => path!)],
    (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(err);
      const httpError = toHttpError(err);
      const context = res.locals.webhook as WebhookContext | undefined;
      if (context && context.outcome === 'error') context.outcome = httpError.code;
      if (context && httpError.status === 401) refusals?.record(addressOf(req));
      if (httpError.status === 500) logger.error('webhook handler failed', { error: errorMessage(err) });
      // Refused before a provider was known (e.g. a path that is not valid percent-encoding): no
      // webhook line will be written, so say it here, below error.
      else if (!context)
        logger.info('webhook request refused', {
          status: httpError.status,
          error: httpError.code,
          message: httpError.message,
        });
      sendHttpError(req, res, httpError);
    },
  );

  return router;
}

/** One line per webhook: 5xx at error, 4xx at info, the rest at info too. */
function logWebhook(logger: Logger, context: WebhookContext, status: number): void {
  const level = status >= 500 ? 'error' : 'info';
  // winston formats (timestamp, JSON) before its transports drop a disabled level: skip it here.
  if (!logger.isLevelEnabled(level)) return;
  const ms = Number(process.hrtime.bigint() - context.started) / 1e6;
  logger.log(level, 'webhook', {
    provider: context.provider,
    eventType: context.eventType,
    dedupeKey: context.dedupeKey,
    id: context.id,
    outcome: context.outcome,
    status,
    ms: Math.round(ms * 100) / 100,
    ...(context.span && { trace_id: context.span.spanContext().traceId }),
  });
}

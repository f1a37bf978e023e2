import type { RequestHandler, Router } from 'express';
import type { Logger } from 'winston';
import type { Config } from '../config/config';
import type { Db, Executor } from '../db/client';
import type { RecordAppliers, RecordChanges, RecordKind, SharedRecordKind } from './record-changes';

import type { ProviderSettings } from './settings';
import type { ConsolePage } from './console-page';
import type { AdminRoute } from './admin-route';
import type { EventTypeDefinition } from '../events/event-type';
import type { RecordView } from '../events/record-view';
import type { SealedColumn } from '../secrets/sealed-field';

/** A provider's name is the last segment of its webhook URL, `/webhooks/<name>`. */
const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** A webhook request as received: the exact bytes, lower-case header names, path and query. */
export interface RawRequest {
  body: Buffer;
  headers: Readonly<Record<string, string | undefined>>;
  /** Path and query exactly as received, e.g. `/webhooks/<name>?a=1`. */
  url: string;
}

/** What is known of a request before its body is read. */
export type RequestHead = Omit<RawRequest, 'body'>;

/** The cheap facts taken on the request path. */
export interface Identity {
  eventType: string;
  /** Unique per provider; a retry of the same delivery yields the same key. */
  dedupeKey: string;
}

export interface Acknowledgement {
  id: string;
  duplicate: boolean;
}

export interface WebhookResponse {
  contentType: string;
  body: string;
}

/** Outbound HTTP as deliveries make it: pooled, timed out, network-guarded, never following redirects. */
export interface OutboundHttp {
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; body: Buffer; durationMs: number }>;
}

/** What a provider's answer to a stored webhook may read: the request, the tables, the way out. */
export interface ReplyContext {
  ack: Acknowledgement;
  /** The verified request, as received. */
  request: RawRequest;
  config: Config;
  db: Db;
  logger: Logger;
  http: OutboundHttp;
}

/** What the worker knows about the event it is normalizing. */
export interface EventContext {
  id: string;
  eventType: string;
  receivedAt: Date;
  headers: Readonly<Record<string, string>>;
  /** The request's path and query as received (`/webhooks/<provider>?ref=order-123`); null for old rows. */
  requestPath: string | null;
  config: Config;
  db: Db;
  logger: Logger;
}

/** A provider-neutral fact, with the row change it implies (if any), of one of the kinds `K`. */
export interface CanonicalEvent<K extends RecordKind = RecordKind> {
  type: string;
  occurredAt: Date | null;
  record?: RecordChanges[K];
  /**
   * Further record changes this event implies (an inbound STOP also suppresses its sender),
   * written in the same transaction, with no canonical event of their own.
   */
  also?: RecordChanges[K][];
  /**
   * Type-specific fields of the body's `data`, beside object, previous and source (an SMS
   * callback's `metadata`); declared by the type's `fields` in the catalogue. Never secrets.
   */
  data?: Record<string, unknown>;
  /**
   * For a type with no record: `data.object`, the normalized fields the provider sent (declared by
   * the type's `object` in the catalogue). A type with a record gets its row instead.
   */
  object?: Record<string, unknown>;
}

export type Normalized<K extends RecordKind = RecordKind> = { events: CanonicalEvent<K>[] } | { ignored: string };

/**
 * A provider is data plus pure functions; the request path and the worker are generic over it.
 * `Kinds` are the record kinds of its own tables (declared in its folder): it must write each of
 * them (`records`), and it may emit only those and the shared kinds, so every record change it
 * can make has an applier, checked by the compiler.
 */
export type Provider<Payload = unknown, Kinds extends RecordKind = never> = ProviderBase<Payload, Kinds> &
  ([Kinds] extends [never]
    ? { records?: undefined; recordViews?: undefined }
    : { records: RecordAppliers<Kinds>; recordViews: { readonly [K in Kinds]: RecordView } });

/**
 * Any provider, whatever its payload and kinds: what registries hold and generic code takes. `any`,
 * not `unknown`: parse and normalize take the payload contravariantly, so no narrower type admits all.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyProvider = ProviderBase<any, any> & {
  records?: RecordAppliers<any>;
  recordViews?: Readonly<Record<string, RecordView>>;
};
/* eslint-enable @typescript-eslint/no-explicit-any */
/** Providers by name (each name is its route segment, `/webhooks/<name>`). */
export type ProviderRegistry = Readonly<Record<string, AnyProvider>>;

interface ProviderBase<Payload, Kinds extends RecordKind> {
  /** Lower-case letters, digits and dashes: its route is `/webhooks/<name>`. */
  name: string;
  /** How people know it (its brand name), for messages written for people (Slack); default: its name. */
  label?: string;
  /** What its inbound messages travel by, when that says more than its label ("SMS"). */
  messageChannel?: string;
  /** Its environment variables and their checks; `settings.of(config)` reads them back. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each provider's own settings type
  settings: ProviderSettings<any>;
  /** What to set to configure it; shown in the 503 answer. */
  requiredEnv: string;
  /** Headers that carry credentials or signatures: stored and logged as `[redacted]`. */
  credentialHeaders: readonly string[];
  /** The verifier for this configuration, or null when the provider is not configured. */
  createVerifier(config: Config): ((request: RawRequest) => void) | null;
  /**
   * A header-only check run before the body is read, so a request that cannot be genuine costs no
   * body buffering. Throws VerificationError (answered 401). Called only when the provider is
   * configured; the verifier still runs on the full request afterwards.
   */
  createPrecheck?(config: Config): (head: RequestHead) => void;
  /**
   * The largest body the provider's own documentation says it sends, cited in its
   * docs/providers/<name>.md; without one, the provider accepts up to MAX_BODY_BYTES. Larger bodies
   * get 413 (before they are read when Content-Length says so). `<PROVIDER>_MAX_BODY_BYTES` overrides.
   */
  maxBodyBytes?: number;
  /** Event type and dedupe key. Cheap, and never throws: a body it cannot read still gets stored. */
  identify(request: RawRequest): Identity;
  /**
   * The 200 body, when the provider expects something other than the JSON acknowledgement; called
   * once the webhook is stored (a retry's too). It may read the tables (an answer to a command);
   * what it sends elsewhere must not happen again when the stored event is replayed.
   */
  respond?(context: ReplyContext): WebhookResponse | Promise<WebhookResponse>;
  /**
   * Paths its webhooks also arrive at, besides `/webhooks/<name>` (an app platform that calls the
   * URLs it was set up with): each is handled exactly as that route is.
   */
  webhookPaths?: readonly string[];
  /**
   * The action ids of the buttons on Slack messages (SLACK_ACTIONS) whose clicks it answers; while
   * it is configured, Hookport's Slack messages carry those buttons.
   */
  slackActions?: readonly string[];
  /**
   * Every canonical event type it can emit, for the catalogue: its own, and the shared ones it
   * feeds (sharedEventTypes). A subscription may name only catalogue types.
   */
  eventTypes: readonly EventTypeDefinition[];
  /** Full parse and schema validation in the worker. Throws PayloadError. */
  parse(body: Buffer, headers: Readonly<Record<string, string>>): Payload;
  normalize(
    payload: Payload,
    context: EventContext,
  ): Normalized<SharedRecordKind | Kinds> | Promise<Normalized<SharedRecordKind | Kinds>>;
  /** Extra HTTP routes the provider needs (e.g. an OAuth callback), mounted beside the webhooks. */
  routes?(deps: ProviderRouteDeps): Router;
  /**
   * Paths of its routes that only a signed-in operator may use (guarded with `deps.requireOperator`),
   * e.g. an OAuth connect route: the console's session cookie is sent to these paths too.
   */
  operatorPaths?: readonly string[];
  /**
   * Routes it adds to the admin API, under /admin/api/<name> (`/accounts` → /admin/api/<name>/accounts),
   * behind the same token check and schema validation as the core's, and in its OpenAPI document.
   */
  adminRoutes?(deps: ProviderDeps): AdminRoute[];
  /**
   * Work it does in the background where the worker runs (e.g. importing from its API); started
   * with the worker, stopped before the database closes. Null when there is nothing to do.
   */
  background?(deps: ProviderDeps): BackgroundJob | null;
  /** Pages it adds to the console (/admin/providers/<name>/<path>), listed in the console's navigation. */
  consolePages?: readonly ConsolePage[];
  /**
   * The audit actions it records (recordAudit), by name (`<provider>.<verb>`), each with what it
   * means: listed with the core's on the console's audit screen.
   */
  auditActions?: Readonly<Record<string, string>>;
  /** Business figures from its own tables (leads), for /admin/api/stats/business and the console's overview. */
  figures?: ProviderFigures;
  /** Operator commands: `hookport <provider> <command> [args…]`. */
  commands?: Readonly<Record<string, ProviderCommand>>;
  /** Realistic sample webhooks by event name, signed as the provider signs them (`hookport send`). */
  samples?: Readonly<Record<string, SampleBuilder>>;
  /**
   * Lines of its own for `hookport config check` (e.g. whether the provider's side is set up to
   * deliver here), read from its tables and its API; never a secret. Called only when the database answers.
   */
  setupCheck?(deps: ProviderDeps): Promise<string[]>;
  /** Why it needs PUBLIC_BASE_URL, when it does (`hookport config check` warns while it is unset). */
  needsPublicBaseUrl?: string;
  /**
   * Columns of its own tables that hold secrets (e.g. OAuth tokens), each value sealed with
   * `config.secretBox` under `sealedLabel(column)`: start-up seals plain ones and
   * `hookport secrets reencrypt` rewrites them under the first key.
   */
  sealedColumns?: readonly SealedColumn[];
  /**
   * For a provider whose instances are data an operator manages at run time (senders configured through the admin API): its webhooks
   * arrive at `/webhooks/<name>/<instance>`, each instance verifies and identifies its own, and
   * `createVerifier` only says the provider takes webhooks at all.
   */
  instances?: ProviderInstances;
}

/** How many on one UTC day (`YYYY-MM-DD`). */
export interface DayCount {
  day: string;
  count: number;
}

/** What a provider with leads adds to the business figures; each reads leads created at or after `since`. */
export interface ProviderFigures {
  /** Leads created per UTC day (days without any may be left out). */
  leadsPerDay(db: Executor, since: Date): Promise<DayCount[]>;
  /** Per lead that has one: seconds from its creation to the business's first reply. */
  firstReplySeconds(db: Executor, since: Date): Promise<number[]>;
}

/** One instance of a provider whose instances are data, as the request path and the catalogue use it. */
export interface ProviderInstance {
  /** The route's last segment, `/webhooks/<provider>/<name>`. */
  name: string;
  /** A disabled instance is answered 404, as if it did not exist. */
  enabled: boolean;
  /** Headers that carry its credentials or signatures: stored and logged as `[redacted]`. */
  credentialHeaders: readonly string[];
  /** As a provider's createPrecheck: what can be refused before the body is read. */
  precheck(head: RequestHead): void;
  /** Throws VerificationError unless the request is genuine. */
  verify(request: RawRequest): void;
  identify(request: RawRequest): Identity;
  /** Its own entries in the catalogue (a `<label>.<name>.*` family). */
  eventTypes: readonly EventTypeDefinition[];
}

/** A provider's instances, read from its tables and kept current on every running Hookport. */
export interface InstanceDirectory {
  /** Every instance, as read at most a few seconds ago (reading the tables again when older). */
  current(): Promise<readonly ProviderInstance[]>;
  /** The last read, without waiting (empty before the first). */
  last(): readonly ProviderInstance[];
}

export interface ProviderInstances {
  /**
   * What an instance is called wherever a provider's name goes (inbox rows, metrics, stats,
   * `data.source.provider`): `<label>:<instance>`.
   */
  label: string;
  /** The directory of the instances in this database (one per database handle). */
  directory(deps: ProviderDeps): InstanceDirectory;
}

/** The name an instance goes by where a provider's name goes: `<label>:<instance>`. */
export const instanceName = (provider: AnyProvider & { instances: ProviderInstances }, instance: string): string =>
  `${provider.instances.label}:${instance}`;

/**
 * The provider a stored name stands for: a registered one by its name, or the provider of an
 * instance (`<label>:<instance>`). Undefined when none is installed.
 */
export function providerOf(registry: ProviderRegistry, name: string): AnyProvider | undefined {
  if (Object.hasOwn(registry, name)) return registry[name];
  const colon = name.indexOf(':');
  if (colon < 0) return undefined;
  const label = name.slice(0, colon);
  return Object.values(registry).find((p) => p.instances?.label === label);
}

/**
 * The names events are stored under now: each registered provider's, with a provider that has
 * instances standing for each of them instead (`source:github`), for stats and filters.
 */
export async function storedProviderNames(registry: ProviderRegistry, deps: ProviderDeps): Promise<string[]> {
  const names = await Promise.all(
    Object.values(registry).map(async (p) =>
      p.instances
        ? (await p.instances.directory(deps).current()).map((i) =>
            instanceName({ ...p, instances: p.instances! }, i.name),
          )
        : [p.name],
    ),
  );
  return names.flat();
}

/** Where a sample is sent, and the settings it is signed with. */
export interface SampleContext {
  config: Config;
  /** The Hookport it is posted to (`--url`), e.g. `http://127.0.0.1:3000`, without a trailing slash. */
  baseUrl: string;
  /** Words given after the event name (`hookport send <provider> <event> [args…]`), for a sample that takes some. */
  args?: readonly string[];
}

/** A signed request ready to POST to `baseUrl + path`: fresh ids and current times on every call. */
export interface SampleRequest {
  /** Path and query, e.g. `/webhooks/<name>`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Builds one sample; called only when the provider is configured (its verifier exists). */
export type SampleBuilder = (context: SampleContext) => SampleRequest;

/** A provider's background work: started once, and stop() resolves when it has let go of everything. */
export interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

/** The admin API of a running Hookport, as the CLI reaches it (ADMIN_TOKEN as the bearer). */
export interface AdminApi {
  origin: string;
  /** The answer's status and JSON; 401, 400, 503 and 5xx become failures with a clear message. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
}

/** What every command may use. */
export interface CommandDeps {
  config: Config;
  logger: Logger;
}

/** What a command gets besides its deps: a way to the running server. */
export interface CommandTools {
  /** The admin API of the running server at `url` (the --url option; default this machine's PORT). */
  adminApi(url?: string): AdminApi;
  /** What the operator types or pipes in (secrets, confirmations): the CLI's stdin. */
  input: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** What a provider's routes, and commands that declare `needsDatabase`, may use. */
export interface ProviderDeps extends CommandDeps {
  db: Db;
}

/** What a provider's routes get: its deps, and the core's check for a signed-in operator. */
export interface ProviderRouteDeps extends ProviderDeps {
  /** 503 admin_not_configured while ADMIN_TOKEN is unset; 401 without a console session; else next(). */
  requireOperator: RequestHandler;
}

interface CommandBase {
  /** One line for `hookport help`. */
  summary: string;
}

/**
 * An operator command. Only one that declares `needsDatabase: true` gets `db`: the CLI opens the
 * database for it alone, since the embedded one can be open in a single process (a running server).
 */
export type ProviderCommand =
  | (CommandBase & {
      needsDatabase: true;
      /** Runs the command; prints to out; resolves to the process exit code. */
      run(args: string[], deps: ProviderDeps & CommandTools, out: NodeJS.WritableStream): Promise<number>;
    })
  | (CommandBase & {
      needsDatabase?: false;
      run(args: string[], deps: CommandDeps & CommandTools, out: NodeJS.WritableStream): Promise<number>;
    });

/**
 * The registry's providers, after checking it is wired as routing expects: each listed under its
 * own name, a valid URL path segment, with settings declared for that name. A mistake here is the
 * code's, not the operator's, so it throws a plain Error.
 */
export function checkRegistry(registry: ProviderRegistry): AnyProvider[] {
  const paths = new Set<string>();
  return Object.entries(registry).map(([key, provider]) => {
    if (key !== provider.name || !PROVIDER_NAME.test(key) || provider.settings.provider !== key) {
      throw new Error(
        `provider registry: "${key}" must be listed under its own name (a-z, 0-9, -) with settings declared for it`,
      );
    }
    for (const path of provider.webhookPaths ?? []) {
      if (!WEBHOOK_PATH.test(path) || /^\/(admin|webhooks|health|metrics)(\/|$)/.test(path) || paths.has(path)) {
        throw new Error(`provider registry: "${key}" webhook path "${path}" is malformed, taken, or the core's`);
      }
      paths.add(path);
    }
    return provider;
  });
}

/** The paths to paste into a provider's dashboard: its own (`webhookPaths`), else `/webhooks/<name>`. */
export const dashboardPaths = (provider: AnyProvider): readonly string[] =>
  provider.webhookPaths?.length ? provider.webhookPaths : [`/webhooks/${provider.name}`];

/** A fixed path of lower-case segments: no parameters, no trailing slash. */
const WEBHOOK_PATH = /^(\/[a-z0-9][a-z0-9-]*)+$/;

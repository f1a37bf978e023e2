import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Config } from '../config/config';
import type { Db, Executor } from '../db/client';
import type { ClaimedEvent } from '../inbox/claimed-event';
import type { ActivityObserver } from '../activity/observer';
import { LostClaimError, markDeferred, markFailed, markIgnored, markProcessed } from '../inbox/settle';
import { providerOf, type ProviderRegistry } from '../contract/provider';
import { DeferError, PayloadError } from '../errors/hookport-error';
import { recordCanonicalEvents, type NormalizedEvent } from '../records/canonical';
import { recordApplier, recordChangesOf, type ApplyRecordChanges } from '../records/apply';
import type { ApplyContext, StatusReached } from '../contract/record-changes';
import { inboxRetryDelayMs } from './backoff';
import { mapLimited } from './map-limited';
import { errorMessage } from '../errors/error-message';
import { storableDeep } from '../text/storable-text';
import { storableNormalized } from '../records/storable-change';
import { catalogueOf } from '../events/catalogue';
import { refusedCanonicalType } from '../events/canonical-type';
import { batchSpans } from '../tracing/worker-spans';
import { markDeadAndTell } from '../operational/inbox-events';

export interface ProcessDeps {
  db: Db;
  config: Config;
  logger: Logger;
  providers: ProviderRegistry;
  /** Counts settled events and their processing delay when given. */
  /** Told of every settled event (Prometheus metrics, stored counts). */
  activity?: ActivityObserver;
  /** Told when a transaction that wrote deliveries committed (the delivery worker sends them at once). */
  onCommitted?: () => void;
}

export type ProcessOutcome = 'processed' | 'ignored' | 'deferred' | 'failed' | 'dead' | 'lost';

/**
 * Normalizations in progress at once per batch. A provider may call its API to normalize (to fetch
 * the record a webhook only names); a batch of a hundred must not become a hundred calls at once.
 */
const NORMALIZE_CONCURRENCY = 16;

type Prepared = NormalizedEvent | { event: ClaimedEvent; ignored: string } | { event: ClaimedEvent; error: unknown };

/** Built once per provider set: the worker calls processEvents for every batch. */
const appliers = new WeakMap<ProcessDeps['providers'], ApplyRecordChanges>();
function applierFor(providers: ProcessDeps['providers']): ApplyRecordChanges {
  let apply = appliers.get(providers);
  if (!apply) appliers.set(providers, (apply = recordApplier(providers)));
  return apply;
}

const logFields = (event: ClaimedEvent) => ({
  id: event.id,
  provider: event.provider,
  eventType: event.eventType,
  attempt: event.attempts,
});

/**
 * Claimed events, in claim order: parse → normalize each (up to NORMALIZE_CONCURRENCY at once; a
 * provider may call its API), then apply every record change and mark the events processed in one transaction. One
 * transaction for the batch spends one commit and a few round trips on many events; if it fails
 * for any reason (a row the database refuses, a lost claim, a deadlock), each event is applied
 * again in its own transaction, so one bad event never holds back the others. A bad payload is
 * dead at once; any other error retries with backoff until the attempts run out.
 */
export async function processEvents(deps: ProcessDeps, claimed: readonly ClaimedEvent[]): Promise<ProcessOutcome[]> {
  const apply = applierFor(deps.providers);
  const spans = batchSpans(claimed);
  const prepared = await mapLimited(claimed, NORMALIZE_CONCURRENCY, (event, i) =>
    spans.run(i, () => prepare(deps, event)),
  );
  const toApply = prepared.filter((p): p is NormalizedEvent => 'events' in p);
  const applied = new Set<string>();
  if (toApply.length > 1) {
    let together: Committed | undefined;
    try {
      together = await spans.together(
        prepared.flatMap((p, i) => ('events' in p ? [i] : [])),
        () => applyTogether(deps.db, apply, toApply),
      );
    } catch (err) {
      deps.logger.debug('batch not applied; applying its events one by one', { error: errorMessage(err) });
    }
    // Outside the try: once committed, nothing may send the batch round again.
    if (together) {
      committed(deps, together);
      prepared.forEach((p, i) => {
        if (!('events' in p)) return;
        applied.add(p.event.id);
        // In the event's span: the line carries its trace id.
        spans.run(i, () =>
          deps.logger.debug('event processed', { ...logFields(p.event), canonical: p.events.map((e) => e.type) }),
        );
      });
    }
  }
  const outcomes = await Promise.all(
    prepared.map((p, i): Promise<ProcessOutcome> | ProcessOutcome =>
      spans.run(i, () => {
        if ('error' in p) return settleFailure(deps, p.event, p.error);
        if ('ignored' in p) return settleIgnored(deps, p.event, p.ignored);
        return applied.has(p.event.id) ? 'processed' : applyAlone(deps, apply, p);
      }),
    ),
  );
  spans.end(outcomes);
  if (deps.activity)
    claimed.forEach((event, i) => deps.activity!.eventSettled(event.provider, outcomes[i]!, event.receivedAt));
  return outcomes;
}

/** One claimed event on its own. */
export async function processEvent(deps: ProcessDeps, event: ClaimedEvent): Promise<ProcessOutcome> {
  const [outcome] = await processEvents(deps, [event]);
  return outcome!;
}

/** Parse and normalize: everything but the writes. Never throws; an error is settled later. */
async function prepare(deps: ProcessDeps, event: ClaimedEvent): Promise<Prepared> {
  try {
    const provider = providerOf(deps.providers, event.provider);
    if (!provider) throw new PayloadError(`no provider named "${event.provider}" is installed`);
    // Storable before normalize too: a normalizer may look rows up by a payload's ids.
    const payload = storableDeep(provider.parse(event.body, event.headers));
    const normalized = storableNormalized(
      await provider.normalize(payload, {
        id: event.id,
        eventType: event.eventType,
        receivedAt: event.receivedAt,
        headers: event.headers,
        requestPath: event.requestPath,
        config: deps.config,
        db: deps.db,
        logger: deps.logger,
      }),
    );
    if ('events' in normalized) {
      const refused = refusedCanonicalType(
        catalogueOf(deps.providers),
        normalized.events.map((e) => e.type),
      );
      if (refused) throw new PayloadError(refused);
    }
    return { event, ...normalized };
  } catch (error) {
    return { event, error };
  }
}

/**
 * The inbox row was committed durably before the ack. If this commit is lost in a database crash,
 * the records and the `processed` marks are lost together and the events are simply processed
 * again, so the worker need not wait for its own WAL flush.
 */
async function workerTransaction(db: Db, fn: (tx: Executor) => Promise<void>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await fn(tx);
  });
}

/** What a committed batch left: the deliveries it wrote, and the statuses its records reached. */
interface Committed {
  deliveries: number;
  reached: readonly StatusReached[];
}

/**
 * One transaction for the given events: their record changes (a statement per table, see
 * statementsInLockOrder), their canonical events and deliveries, their `processed` marks.
 */
async function applyTogether(db: Db, apply: ApplyRecordChanges, batch: readonly NormalizedEvent[]): Promise<Committed> {
  let deliveries = 0;
  let reached: readonly StatusReached[] = [];
  await workerTransaction(db, async (tx) => {
    const applied = await apply(
      tx,
      batch.flatMap((p) => p.events.flatMap(recordChangesOf)),
      receiptsOf(batch),
    );
    deliveries = applied.deliveries + (await recordCanonicalEvents(tx, batch, applied.snapshots));
    reached = applied.reached;
    await markProcessed(
      tx,
      batch.map((p) => p.event),
    );
  });
  return { deliveries, reached };
}

/** After a commit, and only then: wake the delivery worker, count what the records reached. */
function committed(deps: ProcessDeps, { deliveries, reached }: Committed): void {
  if (deliveries > 0) deps.onCommitted?.();
  if (reached.length > 0) deps.activity?.statusesReached?.(reached);
}

/** `data.source` for the events appliers write themselves (contact.*, invoice.paid), from the batch's inbox rows. */
function receiptsOf(batch: readonly NormalizedEvent[]): ApplyContext {
  const received = new Map(batch.map((p) => [p.event.id, p.event.receivedAt]));
  return {
    sourceOf: (inboundEventId, provider) => ({
      provider,
      inboundEventId,
      receivedAt: received.get(inboundEventId)?.toISOString() ?? null,
    }),
  };
}

async function applyAlone(
  deps: ProcessDeps,
  apply: ApplyRecordChanges,
  prepared: NormalizedEvent,
): Promise<ProcessOutcome> {
  const { event, events } = prepared;
  let done: Committed;
  try {
    done = await applyTogether(deps.db, apply, [prepared]);
  } catch (err) {
    return settleFailure(deps, event, err);
  }
  committed(deps, done);
  deps.logger.debug('event processed', { ...logFields(event), canonical: events.map((e) => e.type) });
  return 'processed';
}

async function settleIgnored(deps: ProcessDeps, event: ClaimedEvent, reason: string): Promise<ProcessOutcome> {
  try {
    await markIgnored(deps.db, event, reason);
    deps.logger.info('event ignored', { ...logFields(event), reason });
    return 'ignored';
  } catch (err) {
    return settleFailure(deps, event, err);
  }
}

/**
 * A deferral gives its attempt back, but only for WORKER_MAX_DEFER_SECONDS after the first one:
 * a provider that throttles for ever must not keep an event pending for ever.
 */
function deferredTooLong(event: ClaimedEvent, config: Config): boolean {
  return event.deferredSeconds !== null && event.deferredSeconds >= config.worker.maxDeferSeconds;
}

function failureReason(err: unknown, message: string, config: Config): string {
  if (!(err instanceof DeferError)) return message;
  return `${message}; deferred for more than WORKER_MAX_DEFER_SECONDS (${config.worker.maxDeferSeconds} s), so each deferral now uses an attempt`;
}

async function settleFailure(deps: ProcessDeps, event: ClaimedEvent, err: unknown): Promise<ProcessOutcome> {
  const { db, config, logger } = deps;
  const log = logFields(event);
  const message = errorMessage(err);
  if (err instanceof LostClaimError) {
    logger.warn('event lease lost; another worker owns it now', log);
    return 'lost';
  }
  try {
    const deferral = err instanceof DeferError;
    if (deferral && !deferredTooLong(event, config)) {
      await markDeferred(db, event, message, err.delayMs);
      logger.info('event deferred', { ...log, reason: message, retryInMs: err.delayMs });
      return 'deferred';
    }
    const reason = err instanceof PayloadError ? `invalid payload: ${message}` : failureReason(err, message, config);
    if (err instanceof PayloadError || event.attempts >= config.worker.maxAttempts) {
      if ((await markDeadAndTell(db, [event], reason)) > 0) deps.onCommitted?.();
      logger.error('event dead', { ...log, error: reason });
      return 'dead';
    }
    // A deferral that counts as an attempt still waits as long as the provider asked.
    const delayMs = Math.max(inboxRetryDelayMs(event.attempts, config.worker.retryBaseMs), deferral ? err.delayMs : 0);
    await markFailed(db, event, reason, delayMs);
    logger.warn('event failed; will retry', { ...log, error: reason, retryInMs: delayMs });
    return 'failed';
  } catch (settleErr) {
    if (settleErr instanceof LostClaimError) return settleFailure(deps, event, settleErr);
    // The lease will expire and the event will be retaken; nothing is lost.
    logger.error('could not record event failure', { ...log, error: errorMessage(settleErr) });
    return 'lost';
  }
}

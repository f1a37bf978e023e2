import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { ClaimedEvent } from '../inbox/claim';
import { LostClaimError, markDead, markDeferred, markFailed, markIgnored, markProcessed } from '../inbox/settle';
import { DeferError, PayloadError, type Provider } from '../provider';
import { recordCanonicalEvents } from '../records/canonical';
import { applyRecordChange } from '../records/apply';
import { retryDelayMs } from './backoff';

export interface ProcessDeps {
  db: Db;
  config: Config;
  logger: Logger;
  providers: Readonly<Record<string, Provider<any>>>;
}

export type ProcessOutcome = 'processed' | 'ignored' | 'deferred' | 'failed' | 'dead' | 'lost';

/**
 * One claimed event: parse → normalize → apply every record change and mark it processed in one
 * transaction. A bad payload is dead at once; any other error retries with backoff until the
 * attempts run out.
 */
export async function processEvent(deps: ProcessDeps, event: ClaimedEvent): Promise<ProcessOutcome> {
  const { db, config, logger } = deps;
  const log = { id: event.id, provider: event.provider, eventType: event.eventType, attempt: event.attempts };
  try {
    const provider = Object.hasOwn(deps.providers, event.provider) ? deps.providers[event.provider] : undefined;
    if (!provider) throw new PayloadError(`no provider named "${event.provider}" is installed`);
    const payload = provider.parse(event.body, event.headers);
    const normalized = await provider.normalize(payload, {
      id: event.id,
      eventType: event.eventType,
      receivedAt: event.receivedAt,
      headers: event.headers,
      config,
      db,
      logger,
    });
    if ('ignored' in normalized) {
      await markIgnored(db, event, normalized.ignored);
      logger.info('event ignored', { ...log, reason: normalized.ignored });
      return 'ignored';
    }
    await db.transaction(async (tx) => {
      // The inbox row was committed durably before the ack. If this commit is lost in a database
      // crash, the records and the `processed` mark are lost together and the event is simply
      // processed again, so the worker need not wait for its own WAL flush.
      await tx.execute(sql`set local synchronous_commit = off`);
      for (const canonical of normalized.events) {
        if (canonical.record) await applyRecordChange(tx, canonical.record);
      }
      await recordCanonicalEvents(tx, event, normalized.events);
      await markProcessed(tx, event);
    });
    logger.debug('event processed', { ...log, canonical: normalized.events.map((e) => e.type) });
    return 'processed';
  } catch (err) {
    return settleFailure(deps, event, err, log);
  }
}

async function settleFailure(
  deps: ProcessDeps,
  event: ClaimedEvent,
  err: unknown,
  log: Record<string, unknown>,
): Promise<ProcessOutcome> {
  const { db, config, logger } = deps;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof LostClaimError) {
    logger.warn('event lease lost; another worker owns it now', log);
    return 'lost';
  }
  try {
    if (err instanceof DeferError) {
      await markDeferred(db, event, message, err.delayMs);
      logger.info('event deferred', { ...log, reason: message, retryInMs: err.delayMs });
      return 'deferred';
    }
    if (err instanceof PayloadError || event.attempts >= config.worker.maxAttempts) {
      const reason = err instanceof PayloadError ? `invalid payload: ${message}` : message;
      await markDead(db, event, reason);
      logger.error('event dead', { ...log, error: reason });
      return 'dead';
    }
    const delayMs = retryDelayMs(event.attempts, config.worker.retryBaseMs);
    await markFailed(db, event, message, delayMs);
    logger.warn('event failed; will retry', { ...log, error: message, retryInMs: delayMs });
    return 'failed';
  } catch (settleErr) {
    // The lease will expire and the event will be retaken; nothing is lost.
    logger.error('could not record event failure', { ...log, error: (settleErr as Error).message });
    return 'lost';
  }
}

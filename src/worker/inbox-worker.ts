import { claimEvents, type ClaimedEvent, type ExpiredLeases } from '../inbox/claim';
import { LeaseKeeper } from './lease-keeper';
import { processEvents, type ProcessDeps } from './process';
import { markDeadAndTell } from '../operational/inbox-events';
import { errorMessage } from '../errors/error-message';
import type { LocalClaims } from '../inbox/writer';

/**
 * Claims due events and keeps up to WORKER_CONCURRENCY of them in hand, in batches of up to half
 * that, so one batch is claimed and normalized while another commits. Each batch is applied in one
 * transaction (see processEvents). Woken at once by `notify()` when the app stores an event, and by
 * a periodic sweep that retakes retries that came due and leases that expired. The leases of the
 * events in hand are renewed until they are settled (see LeaseKeeper).
 */
/**
 * How long a claim waits after a wake-up, unless the last claim came back full (a backlog: claim at
 * once). Woken at every insert's commit, the worker otherwise claimed a few events at a time under
 * load, each few paying a claim, a transaction and a settle, on the event loop the requests share;
 * waiting lets the webhooks that arrive meanwhile share them. `npm run bench:inline`, 3 runs: at
 * 20 ms, +34 % processed/s and -28 % CPU per event (Node and PostgreSQL); an event waits at most
 * this long more before it is taken.
 */
export const CLAIM_LINGER_MS = 20;

/**
 * A sweep looks for leases that ran out in the last RECENT_EXPIRY_SECONDS (at least five sweeps),
 * and for all of them once every FULL_EXPIRY_SCAN_MS: one ran out longer ago only if no sweep could
 * claim meanwhile (every worker down, or full).
 */
const RECENT_EXPIRY_SECONDS = 10;
const FULL_EXPIRY_SCAN_MS = 60_000;

/**
 * Batches applied at once: one commits while the next is normalized. More only contend for the
 * same rows and for the connections the request path needs; events wait in hand meanwhile and
 * make the next batch larger.
 */
export const BATCHES_IN_FLIGHT = 2;

export class InboxWorker implements LocalClaims {
  private running = false;
  private again = false;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inHand = 0;
  /** Room promised to inserts in flight (LocalClaims): their events are as good as in hand. */
  private reserved = 0;
  /** Events stored claimed for this worker, gathering into a batch (CLAIM_LINGER_MS at most). */
  private handed: ClaimedEvent[] = [];
  private handedTimer: NodeJS.Timeout | null = null;
  /** Resolves stop() once the inserts in flight have handed over what they reserved. */
  private reservationsDone: (() => void) | null = null;
  /** The last claim took all it asked for: more is likely due, so the next one does not linger. */
  private lastClaimFull = false;
  /** The sweep's timer fired since the last claim: that claim looks for leases that ran out too. */
  private sweepDue = true;
  private lastFullExpiryScan = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly leases: LeaseKeeper;

  private readonly slots: number;
  private readonly batchSize: number;

  constructor(private readonly deps: ProcessDeps) {
    this.leases = new LeaseKeeper(deps.db, deps.config.worker.leaseSeconds, deps.logger);
    this.slots = deps.config.worker.concurrency;
    this.batchSize = Math.max(1, Math.ceil(this.slots / 2));
  }

  get leaseSeconds(): number {
    return this.deps.config.worker.leaseSeconds;
  }

  reserve(n: number): number {
    if (!this.running) return 0;
    const granted = Math.max(0, Math.min(n, this.slots - this.inHand - this.reserved));
    this.reserved += granted;
    return granted;
  }

  /**
   * Events the app stored already claimed for this worker (see AppendClaim): they gather into a
   * batch like a claim's, and are processed without being read back.
   */
  take(events: ClaimedEvent[], reserved: number): void {
    this.reserved -= reserved;
    if (this.reserved === 0) this.reservationsDone?.();
    if (events.length === 0) return;
    this.hold(events);
    this.handed.push(...events);
    // Never started here: this runs on the request path, before the insert's callers are answered,
    // and a batch parses and normalizes its first events before it first waits. A full batch
    // starts on the next turn of the event loop, others after the linger.
    const full = this.handed.length >= this.batchSize || !this.running;
    if (full && this.handedTimer) clearTimeout(this.handedTimer);
    if (full || !this.handedTimer) this.handedTimer = setTimeout(() => this.startHanded(), full ? 0 : CLAIM_LINGER_MS);
  }

  private startHanded(): void {
    if (this.handedTimer) clearTimeout(this.handedTimer);
    this.handedTimer = null;
    while (this.handed.length > 0 && this.inFlight.size < BATCHES_IN_FLIGHT)
      this.startBatch(this.handed.splice(0, this.batchSize));
  }

  /** Until every event in hand, handed over or claimed, is settled. */
  private async settleInHand(): Promise<void> {
    while (this.handed.length > 0 || this.inFlight.size > 0) {
      this.startHanded();
      await Promise.race(this.inFlight);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.leases.start();
    this.timer = setInterval(() => {
      this.sweepDue = true;
      this.notify();
    }, this.deps.config.worker.sweepMs);
    this.timer.unref();
    this.notify();
  }

  /** Ask for a pass over the queue; coalesces with one already running. */
  notify(): void {
    if (!this.running) return;
    this.again = true;
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // A notify() that came while the loop was finishing found it still draining: honour it now.
      if (this.again) this.notify();
    });
  }

  /** Stops claiming and waits for the events in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // The events in hand keep their leases until they are settled.
    await this.draining;
    if (this.reserved > 0) await new Promise<void>((resolve) => (this.reservationsDone = resolve));
    await this.settleInHand();
    await this.leases.stop();
  }

  /** Resolves when nothing is in hand (tests). */
  async idle(): Promise<void> {
    while (this.draining || this.inFlight.size > 0 || this.handed.length > 0) {
      await this.draining;
      await this.settleInHand();
    }
  }

  private async drain(): Promise<void> {
    const { db, config, logger } = this.deps;
    while (this.running && (this.again || this.inFlight.size > 0)) {
      const limit = Math.min(this.batchSize, this.slots - this.inHand - this.reserved);
      if (this.again && limit > 0 && this.inFlight.size < BATCHES_IN_FLIGHT) {
        if (!this.lastClaimFull) {
          await new Promise((resolve) => setTimeout(resolve, CLAIM_LINGER_MS));
          if (!this.running) break;
        }
        this.again = false;
        try {
          let exhausted = 0;
          const batch = await claimEvents(db, {
            limit,
            leaseSeconds: config.worker.leaseSeconds,
            expiredLeases: this.expiredLeases(),
            maxAttempts: config.worker.maxAttempts,
            deadLetter: markDeadAndTell,
            onDeliveriesWritten: this.deps.onCommitted,
            onDeadLetterFailed: (err) => logger.warn('could not dead-letter events', { error: errorMessage(err) }),
            onDead: (dead) => {
              exhausted = dead.length;
              for (const event of dead)
                logger.error('event dead', { ...event, error: 'lease expired on its last attempt' });
            },
          });
          if (batch.length > 0) {
            this.hold(batch);
            this.startBatch(batch);
          }
          // A full batch may mean more is due: look again as soon as there is room.
          this.lastClaimFull = batch.length + exhausted === limit;
          if (this.lastClaimFull) this.again = true;
        } catch (err) {
          logger.warn('could not claim events', { error: errorMessage(err) });
        }
        continue;
      }
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
      // Full with events not yet started (an insert's, or gathering): they start within a linger.
      else await new Promise((resolve) => setTimeout(resolve, CLAIM_LINGER_MS));
    }
    await Promise.all(this.inFlight);
  }

  /** What this claim looks for among the leases that ran out (see ExpiredLeases). */
  private expiredLeases(): ExpiredLeases {
    if (!this.sweepDue) return { scope: 'none' };
    this.sweepDue = false;
    if (Date.now() - this.lastFullExpiryScan < FULL_EXPIRY_SCAN_MS) {
      const sweeps = (5 * this.deps.config.worker.sweepMs) / 1000;
      return { scope: 'recent', seconds: Math.max(RECENT_EXPIRY_SECONDS, sweeps) };
    }
    this.lastFullExpiryScan = Date.now();
    return { scope: 'all' };
  }

  private hold(batch: readonly ClaimedEvent[]): void {
    this.inHand += batch.length;
    this.leases.hold(batch);
  }

  /** Processes events already held (hold()); they are released when settled. */
  private startBatch(batch: readonly ClaimedEvent[]): void {
    const task = processEvents(this.deps, batch).finally(() => {
      this.leases.release(batch);
      this.inHand -= batch.length;
      this.inFlight.delete(task);
      if (this.handed.length > 0) this.startHanded();
    });
    this.inFlight.add(task);
  }
}

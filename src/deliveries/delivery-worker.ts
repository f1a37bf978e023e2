import type { Logger } from 'winston';
import type { ActivityObserver } from '../activity/observer';
import type { DeliveryConfig } from '../config/config';
import type { Db } from '../db/client';
import type { SecretBox } from '../crypto/secret-box';
import { errorMessage } from '../errors/error-message';
import { attemptDelivery, settleExhausted, type AttemptDeps } from './attempt';
import { claimDeliveries, type ClaimedDelivery } from './claim';
import { DeliveryHttpClient } from './http-client';
import type { Resolver } from './network-guard';
import type { ProviderLabels } from './slack/labels';
import { renewDeliveryLeases } from './settle';
import { SuccessBatcher } from './success-batcher';
import type { FailureTeller } from './failure-facts';

export interface DeliveryWorkerDeps {
  db: Db;
  config: DeliveryConfig;
  logger: Logger;
  /** Opens the subscriptions' stored URLs and secrets. */
  box: SecretBox;
  /** Writes what a failed attempt causes (operational events), in its settling transaction. */
  tell: FailureTeller;
  activity?: ActivityObserver;
  /** How each provider is named in Slack messages. */
  labels?: ProviderLabels;
  /** The Slack buttons someone answers (answeredActions). */
  slackActions?: ReadonlySet<string>;
  /** Name resolution for the network guard (tests). */
  resolve?: Resolver;
  /** The console's address (PUBLIC_BASE_URL + /admin), for links in Slack messages. */
  consoleUrl?: string | null;
}

/**
 * Sends due deliveries, up to DELIVERY_CONCURRENCY at once, each on its own (one slow receiver
 * occupies only its own slots: see claimDeliveries' per-subscription limit). Woken by `notify()`
 * when the inbox worker commits canonical events (and by the admin API), and by a sweep every
 * DELIVERY_SWEEP_MS for retries that came due and leases that ran out. The leases of the
 * deliveries in hand are renewed every third of DELIVERY_LEASE_SECONDS until they are settled.
 *
 * Round trips to the database are what sending costs most besides the POST itself, so both ends
 * are grouped: a claim waits until a quarter of a subscription's slots (or everything) is free
 * rather than claiming one delivery per settled one, and successes are recorded together (SuccessBatcher).
 */
export class DeliveryWorker {
  readonly http: DeliveryHttpClient;
  private running = false;
  private again = false;
  private draining: Promise<void> | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private renewal: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  private readonly held = new Set<ClaimedDelivery>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly attemptDeps: AttemptDeps;
  /** Deliveries settled since the last claim: claiming waits for enough of them (see claimWhenFreed). */
  private freed = 0;
  /** Resolves the drain loop's wait: a delivery settled, or notify() was called. */
  private wake: (() => void) | null = null;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.http = new DeliveryHttpClient({
      allowPrivateNetworks: deps.config.allowPrivateNetworks,
      timeoutMs: deps.config.timeoutMs,
      resolve: deps.resolve,
    });
    const successes = new SuccessBatcher(deps.db);
    this.attemptDeps = {
      ...deps,
      http: this.http,
      succeeded: (d, r) => successes.succeeded(d, r),
      onDeliveriesWritten: () => this.notify(),
    };
  }

  /** Settled deliveries that make a claim worth its round trip: a quarter of one subscription's slots. */
  private get claimWhenFreed(): number {
    return Math.max(1, Math.ceil(Math.min(this.deps.config.concurrency, this.deps.config.perSubscription) / 4));
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sweep = setInterval(() => this.notify(), this.deps.config.sweepMs);
    this.sweep.unref();
    this.renewal = setInterval(() => this.renew(), (this.deps.config.leaseSeconds * 1000) / 3);
    this.renewal.unref();
    this.notify();
  }

  /** Ask for a pass over the queue; coalesces with one already running. */
  notify(): void {
    if (!this.running) return;
    this.again = true;
    if (this.draining) return this.signal();
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.again) this.notify();
    });
  }

  /** Stops claiming, waits for the deliveries in hand (each bounded by DELIVERY_TIMEOUT_MS), closes the connections. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    await this.draining;
    await Promise.all(this.inFlight);
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
    await this.renewing;
    await this.http.close();
  }

  /** Resolves when nothing is in hand (tests). */
  async idle(): Promise<void> {
    while (this.draining || this.inFlight.size > 0) {
      await this.draining;
      await Promise.all(this.inFlight);
    }
  }

  private async drain(): Promise<void> {
    const { db, config, logger } = this.deps;
    while (this.running) {
      const free = config.concurrency - this.held.size;
      const worthClaiming =
        this.again || this.freed >= this.claimWhenFreed || (this.freed > 0 && this.inFlight.size === 0);
      if (free > 0 && worthClaiming) {
        this.again = false;
        this.freed = 0;
        try {
          const claimed = await claimDeliveries(db, {
            limit: free,
            leaseSeconds: config.leaseSeconds,
            perSubscription: config.perSubscription,
            maxAttempts: config.retryScheduleMs.length + 1,
            onExhausted: (exhausted) => Promise.all(exhausted.map((d) => this.settleExhausted(d))),
          });
          for (const d of claimed) this.startOne(d);
          // As many as asked: more may be due.
          if (claimed.length === free) this.again = true;
        } catch (err) {
          logger.warn('could not claim deliveries', { error: errorMessage(err) });
        }
        continue;
      }
      // Nothing to claim and nothing in hand: done until notified. (Successes settle in groups, so
      // the last deliveries in hand may all finish at once: `freed` is looked at before stopping.)
      if (this.inFlight.size === 0) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    await Promise.all(this.inFlight);
  }

  private startOne(d: ClaimedDelivery): void {
    this.held.add(d);
    const task = attemptDelivery(this.attemptDeps, d)
      .then(({ outcome, durationMs }) => {
        if (outcome !== 'lost') this.deps.activity?.deliverySettled(d.subscriptionId, outcome, durationMs);
      })
      .finally(() => {
        this.held.delete(d);
        this.inFlight.delete(task);
        // A slot is free, and its subscription may have fallen under its in-flight limit.
        this.freed += 1;
        this.signal();
      });
    this.inFlight.add(task);
  }

  private async settleExhausted(d: ClaimedDelivery): Promise<void> {
    const { outcome, durationMs } = await settleExhausted(this.attemptDeps, d);
    if (outcome !== 'lost') this.deps.activity?.deliverySettled(d.subscriptionId, outcome, durationMs);
  }

  private renew(): void {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = renewDeliveryLeases(this.deps.db, [...this.held], this.deps.config.leaseSeconds)
      .catch((err: unknown) => {
        this.deps.logger.warn('could not renew delivery leases', { error: errorMessage(err) });
      })
      .finally(() => {
        this.renewing = null;
      });
  }
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../inbox/stats';
import type { StatusReached } from '../activity/status-reached';

/** Webhook answers take milliseconds; the tail (database slow or down) reaches the store timeout. */
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Received → processed: tens of milliseconds when fresh, minutes to hours behind retries. */
const DELAY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** A delivery attempt: milliseconds to a fast receiver, up to DELIVERY_TIMEOUT_MS (15 s) for a slow one. */
const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export interface MetricsOptions {
  /** The queue figures, cached by the caller (shared with /health): a scrape never queries by itself. */
  queue: () => Promise<QueueStats>;
}

/**
 * Hookport's Prometheus metrics, in a registry of their own (several runtimes may share a process,
 * as in the tests). The names are the contract's.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly webhooks = new Counter({
    name: 'hookport_webhooks_received_total',
    help: 'Webhook requests answered, by provider and outcome (stored, duplicate, invalid_signature, …).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly ackDuration = new Histogram({
    name: 'hookport_webhook_ack_duration_seconds',
    help: 'Time from a webhook request to its answer, by provider.',
    labelNames: ['provider'] as const,
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: 'hookport_events_processed_total',
    help: 'Inbox events settled by the worker, by provider and outcome (processed, ignored, failed, dead, deferred).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly delay = new Histogram({
    name: 'hookport_event_processing_delay_seconds',
    help: 'Time from receiving a webhook to its event being processed, by provider.',
    labelNames: ['provider'] as const,
    buckets: DELAY_BUCKETS,
    registers: [this.registry],
  });

  private readonly authFailures = new Counter({
    name: 'hookport_operator_auth_failures_total',
    help: 'Wrong operator credentials (console sign-in, admin API bearer, metrics token), by surface.',
    labelNames: ['surface'] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'hookport_deliveries_total',
    help: 'Delivery attempts to subscriptions, by outcome (succeeded, failed: will retry, dead: no retry left).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly deliveryDuration = new Histogram({
    name: 'hookport_delivery_duration_seconds',
    help: 'Time of one delivery attempt, connect to the end of the answer (or the error).',
    buckets: DELIVERY_BUCKETS,
    registers: [this.registry],
  });

  private readonly messages = new Counter({
    name: 'hookport_messages_total',
    help: 'Messages that reached a status, each once per status (SMS and other channels), by provider, direction and status.',
    labelNames: ['provider', 'direction', 'status'] as const,
    registers: [this.registry],
  });
  private readonly emails = new Counter({
    name: 'hookport_emails_total',
    help: 'Emails that reached a status, each once per status; opened and clicked once per email, at its first open or click.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions) {
    const stats = options.queue;
    new Gauge({
      name: 'hookport_queue_events',
      help: 'Inbox events not yet finished, and dead ones, by status (read at most once per cache interval).',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const queue = await stats();
        for (const status of ['pending', 'processing', 'failed', 'dead'] as const) this.set({ status }, queue[status]);
      },
    });
    new Gauge({
      name: 'hookport_queue_oldest_pending_seconds',
      help: 'How long the oldest unfinished inbox event has waited.',
      registers: [this.registry],
      async collect() {
        this.set((await stats()).oldestPendingSeconds);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A webhook request was answered (`provider` is the route segment, known or not). */
  webhookAnswered(provider: string, outcome: string, seconds: number): void {
    this.webhooks.inc({ provider, outcome });
    this.ackDuration.observe({ provider }, seconds);
  }

  /** The worker settled an event; a processed one also records its delay since it was received. */
  eventSettled(provider: string, outcome: string, receivedAt: Date): void {
    if (outcome === 'lost') return; // another worker owns it now and will report it
    this.events.inc({ provider, outcome });
    if (outcome === 'processed')
      this.delay.observe({ provider }, Math.max(0, (Date.now() - receivedAt.getTime()) / 1000));
  }

  /** A wrong operator credential on `surface` (console, admin_api, metrics). */
  authFailed(surface: string): void {
    this.authFailures.inc({ surface });
  }

  /** Records reached statuses for the first time; called after their transaction committed. */
  statusesReached(reached: readonly StatusReached[]): void {
    for (const r of reached) {
      if (r.kind === 'message') this.messages.inc({ provider: r.provider, direction: r.direction, status: r.status });
      else this.emails.inc({ status: r.status });
    }
  }

  /** The delivery worker settled an attempt. */
  deliverySettled(_subscriptionId: string, outcome: string, ms: number): void {
    this.deliveries.inc({ outcome });
    this.deliveryDuration.observe(ms / 1000);
  }
}

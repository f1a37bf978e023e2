import type { StatusReached } from './status-reached';

/** What the request path and the worker report as they go; Prometheus metrics and the stored counts both listen. */
export interface ActivityObserver {
  /** A webhook request was answered (`provider` is a registered name, or "unknown"). */
  webhookAnswered(provider: string, outcome: string, seconds: number): void;
  /** The worker settled an event (`processed`, `ignored`, `failed`, `dead`, `deferred`, or `lost`). */
  eventSettled(provider: string, outcome: string, receivedAt: Date): void;
  /** The delivery worker settled an attempt (`succeeded`, `failed`, `dead`); `ms` is the attempt's duration. */
  deliverySettled(subscriptionId: string, outcome: string, ms: number): void;
  /** Records reached these statuses for the first time, in a transaction that committed (business figures). */
  statusesReached?(reached: readonly StatusReached[]): void;
}

/** One observer that tells each of `observers`. */
export function allOf(...observers: ActivityObserver[]): ActivityObserver {
  return {
    webhookAnswered: (provider, outcome, seconds) =>
      observers.forEach((o) => o.webhookAnswered(provider, outcome, seconds)),
    eventSettled: (provider, outcome, receivedAt) =>
      observers.forEach((o) => o.eventSettled(provider, outcome, receivedAt)),
    deliverySettled: (subscriptionId, outcome, ms) =>
      observers.forEach((o) => o.deliverySettled(subscriptionId, outcome, ms)),
    statusesReached: (reached) => observers.forEach((o) => o.statusesReached?.(reached)),
  };
}

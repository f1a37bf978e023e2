import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { SubscriptionKind } from '../db/tables/deliveries';

/*
 * What a failed attempt's settling transaction knows, handed to whoever reports it (the
 * operational events, src/operational/): the settling code depends on this shape only.
 */

/** The subscription columns an operational event shows: never a secret. */
export const SUBSCRIPTION_COLUMNS = sql`s.id, s.kind, s.url, s.description, s.event_types, s.enabled, s.disabled_reason, s.failing_since`;

export interface SubscriptionRow {
  id: string;
  kind: SubscriptionKind;
  /** As stored: sealed for Slack. */
  url: string;
  description: string | null;
  event_types: string[] | string;
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: Date | string | null;
}

/** A failed attempt's delivery as its settling statement left it. */
export interface SettledFailure {
  id: string;
  subscription_id: string;
  canonical_event_id: string;
  event_type: string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  created_at: Date | string;
}

export interface FailureFacts {
  delivery: SettledFailure;
  dead: boolean;
  /** A test send: its outcome was answered to whoever sent it. */
  test: boolean;
  /** The subscription, when this attempt disabled it. */
  disabled: SubscriptionRow | null;
}

/** Writes what a failed attempt causes, in its settling transaction; returns the deliveries that wrote. */
export type FailureTeller = (tx: Executor, facts: FailureFacts) => Promise<number>;

/** Tells nothing (tools and tests that settle deliveries without operational events). */
export const tellNothing: FailureTeller = async () => 0;

import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { DeliveryConfig } from '../config/config';
import type { Db } from '../db/client';
import type { SecretBox } from '../crypto/secret-box';
import { queryRows } from '../db/rows';
import { attemptDelivery } from './attempt';
import { claimTestDelivery } from './delivery-log';
import type { TestEvent } from '../events/test-body';
import type { FailureTeller } from './failure-facts';
import type { DeliveryHttpClient } from './http-client';

export interface TestSendResult {
  deliveryId: string;
  status: 'succeeded' | 'dead';
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * Sends a test event (a catalogue type, its example's object or the caller's payload: see
 * src/events/test-body.ts) to a subscription now, once (no retries), signed in its mode, and
 * answers with what the receiver did; undefined when there is no such subscription. The admin
 * API's test route and the console's test button both call this.
 */
export async function sendTestDelivery(
  ctx: {
    db: Db;
    box: SecretBox;
    tell: FailureTeller;
    config: DeliveryConfig;
    http: DeliveryHttpClient;
    logger: Logger;
  },
  subscriptionId: string,
  test: TestEvent,
): Promise<TestSendResult | undefined> {
  const { db, config } = ctx;
  const claimed = await claimTestDelivery(
    db,
    subscriptionId,
    Math.ceil(config.timeoutMs / 1000) + config.leaseSeconds,
    test,
  );
  if (!claimed) return undefined;
  await attemptDelivery(
    {
      db,
      box: ctx.box,
      tell: ctx.tell,
      config: { ...config, retryScheduleMs: [] },
      http: ctx.http,
      logger: ctx.logger,
    },
    claimed,
  );
  const [row] = await queryRows<{
    status: 'succeeded' | 'dead';
    response_status: number | null;
    duration_ms: number | null;
    last_error: string | null;
  }>(db, sql`select status, response_status, duration_ms, last_error from deliveries where id = ${claimed.id}::uuid`);
  return {
    deliveryId: claimed.id,
    status: row?.status ?? 'dead',
    responseStatus: row?.response_status ?? null,
    durationMs: row?.duration_ms ?? 0,
    error: row?.last_error ?? null,
  };
}

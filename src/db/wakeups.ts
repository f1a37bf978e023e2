import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import type { Executor } from './client';
import type { Logger } from 'winston';
import { errorMessage } from '../errors/error-message';

/** NOTIFY'd after webhooks are stored (see WakeupSender). */
export const INBOX_CHANNEL = 'hookport_inbox';

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface WakeupListener {
  close(): Promise<void>;
}

/**
 * Wakes this process's workers when another process stores work (PostgreSQL LISTEN on one
 * connection of its own, outside the pool). A lost connection is reopened with backoff, and every
 * callback runs once after it is back: what was notified meanwhile is not lost, only late.
 */
export function listenForWakeups(
  url: string,
  channels: Record<string, () => void>,
  logger: Logger,
  /**
   * Whether a notifying backend is one of this runtime's own connections: its notifications are
   * ignored, since its worker is already woken in-process (another wake-up would be an empty claim).
   */
  isOwn: (backendPid: number) => boolean = () => false,
): WakeupListener {
  let client: Client | null = null;
  let closed = false;
  let retryMs = RETRY_FIRST_MS;
  let timer: NodeJS.Timeout | null = null;

  const reconnectLater = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect(true);
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const connect = async (again: boolean) => {
    const c = new Client({ connectionString: url, keepAlive: true, application_name: 'hookport-listen' });
    client = c;
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost || closed) return;
      lost = true;
      logger.warn('wake-up listener lost its database connection; reconnecting', {
        error: err ? errorMessage(err) : 'ended',
      });
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      reconnectLater();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', (msg) => {
      if (!isOwn(msg.processId)) channels[msg.channel]?.();
    });
    try {
      await c.connect();
      for (const channel of Object.keys(channels)) await c.query(`listen ${channel}`);
      if (closed) return void (await c.end().catch(() => {}));
      retryMs = RETRY_FIRST_MS;
      if (again) {
        logger.info('wake-up listener reconnected');
        for (const wake of Object.values(channels)) wake();
      }
    } catch (err) {
      onLost(err as Error);
    }
  };

  void connect(false);
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}

/**
 * Sends NOTIFY on a channel after commits, coalesced: while one is in flight, any number of pokes
 * make one more. Not inside the transaction that stores the webhooks: a transaction that notifies
 * holds PostgreSQL's one notification lock through its commit, WAL flush included, which would
 * serialize the inbox's commits with each other; this statement writes nothing and flushes nothing.
 * A NOTIFY that fails is dropped: the workers' sweep still finds the events.
 */
export class WakeupSender {
  private sending = false;
  private again = false;

  constructor(
    private readonly db: Executor,
    private readonly channel: string,
  ) {}

  poke(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    this.again = false;
    this.db
      .execute(sql`select pg_notify(${this.channel}, '')`)
      .catch(() => {})
      .finally(() => {
        this.sending = false;
        if (this.again) this.poke();
      });
  }
}

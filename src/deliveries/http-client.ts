import type * as Undici from 'undici';
import { isIP } from 'node:net';
import type { Agent, buildConnector } from 'undici';
import { guardedLookup, NetworkGuardError, refusedAddress, systemResolver, type Resolver } from './network-guard';

export interface DeliveryHttpOptions {
  /** DELIVERY_ALLOW_PRIVATE_NETWORKS: no guard at all. */
  allowPrivateNetworks: boolean;
  /** The whole exchange, connect to the last byte of the answer. */
  timeoutMs: number;
  /** Name resolution (tests map names to addresses; default dns.lookup). */
  resolve?: Resolver;
}

export interface PostResult {
  status: number;
  /** The first RESPONSE_KEEP bytes of the answer. */
  body: Buffer;
  durationMs: number;
}

/** What is kept of an answer (the contract's first 1 KiB). */
export const RESPONSE_KEEP = 1024;
/** An answer is read to its end up to this, so the connection can be reused; a longer one is cut. */
const RESPONSE_DRAIN_LIMIT = 64 * 1024;

/** A delivery that did not get an answer in time. */
export class DeliveryTimeoutError extends Error {
  override name = 'DeliveryTimeoutError';
}

/**
 * The pooled, kept-alive HTTP client deliveries go out through. Unless private networks are
 * allowed, its connector refuses a literal refused address before connecting, resolves names with
 * a lookup that refuses any refused answer, and checks the socket's remote address once connected:
 * the address actually connected to is what is judged, after DNS. Redirects are never followed
 * (undici's request does not follow them; a 3xx is a failed delivery).
 */
export class DeliveryHttpClient {
  private pool: { request: typeof Undici.request; agent: Agent } | undefined;

  constructor(private readonly options: DeliveryHttpOptions) {}

  /**
   * undici and the pool are loaded at the first delivery: memory that a deployment without
   * subscriptions (or an ingest-only instance) never needs.
   */
  private loadPool(): { request: typeof Undici.request; agent: Agent } {
    if (this.pool) return this.pool;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose
    const undici = require('undici') as typeof Undici;
    const { options } = this;
    const base = undici.buildConnector({
      timeout: options.timeoutMs,
      ...(options.allowPrivateNetworks ? {} : { lookup: guardedLookup(options.resolve ?? systemResolver) }),
    });
    const connect: buildConnector.connector = options.allowPrivateNetworks
      ? base
      : (opts, callback) => {
          const host = opts.hostname.replace(/^\[|\]$/g, '');
          const literal = isIP(host) ? refusedAddress(host) : null;
          if (literal) return callback(new NetworkGuardError(`refused to connect to ${host}: ${literal}`), null);
          base(opts, (err, socket) => {
            if (err) return callback(err, null);
            const why = socket!.remoteAddress ? refusedAddress(socket!.remoteAddress) : 'no remote address';
            if (why) {
              socket!.destroy();
              return callback(new NetworkGuardError(`refused to connect to ${opts.hostname}: ${why}`), null);
            }
            callback(null, socket!);
          });
        };
    // No cap on connections per origin: DELIVERY_CONCURRENCY and the per-subscription limit bound
    // them, and many subscriptions may share one origin (every Slack webhook is hooks.slack.com).
    const agent = new undici.Agent({ connect, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 });
    return (this.pool = { request: undici.request, agent });
  }

  /** POSTs `body` to `url`; resolves with any answer (2xx or not), rejects on no answer. */
  async post(url: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DeliveryTimeoutError(`no complete answer within ${this.options.timeoutMs} ms`)),
      this.options.timeoutMs,
    );
    try {
      const { request, agent } = this.loadPool();
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: agent,
        signal: controller.signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let read = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        read += chunk.length;
        if (keptBytes < RESPONSE_KEEP) {
          const part = chunk.subarray(0, RESPONSE_KEEP - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        if (read > RESPONSE_DRAIN_LIMIT) {
          res.body.destroy();
          break;
        }
      }
      return { status: res.statusCode, body: Buffer.concat(kept), durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (controller.signal.aborted) throw controller.signal.reason as Error;
      throw guardErrorIn(err) ?? err;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool?.agent.close();
  }
}

/** The guard's refusal, wherever undici wrapped it. */
function guardErrorIn(err: unknown): NetworkGuardError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof NetworkGuardError) return e;
  }
  return undefined;
}

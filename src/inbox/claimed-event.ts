/** An inbox event a worker holds: what it needs to process it, and the attempt that fences settling it. */
export interface ClaimedEvent {
  id: string;
  provider: string;
  eventType: string;
  /** The attempt this claim is; also the fencing token for completing it. */
  attempts: number;
  receivedAt: Date;
  /** Seconds since the event was first deferred (provider throttling), as of the claim; null if never. */
  deferredSeconds: number | null;
  headers: Record<string, string>;
  body: Buffer;
  /** The request's path and query as received; null for rows stored before it was kept. */
  requestPath: string | null;
  /** The W3C traceparent of the request that stored it (tracing on); null otherwise. */
  traceparent: string | null;
}

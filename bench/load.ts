import autocannon from 'autocannon';

/** One HTTP request to send: its own headers and body (each a distinct, pre-signed delivery). */
export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  /** One server, or several: connections are then spread over them round robin (1st to the 1st URL, ...). */
  url: string | readonly string[];
  path: string;
  connections: number;
  seconds: number;
  /** Gives the next distinct delivery; called once per request, in the load generator, not the server. */
  next: () => Delivery;
}

export interface LoadResult {
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The `id` field of every 2xx JSON answer, to check against the database afterwards. */
  ackedIds: string[];
}

const ID_FIELD = '"id":"';

/**
 * Runs autocannon against one route as fast as the server answers (saturation); keeps its own work
 * per request small (2 cores in all). For a steady rate, see runPaced in ./pacer.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const ackedIds: string[] = [];
  const result = await autocannon({
    // autocannon takes an array of URLs and gives connection i to url[i % n]; its types say string only.
    url: (typeof options.url === 'string' ? options.url : [...options.url]) as string,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: options.path,
        setupRequest: (request) => {
          const delivery = options.next();
          return { ...request, headers: delivery.headers, body: delivery.body };
        },
        onResponse: (status, body) => {
          if (status < 200 || status >= 300) return;
          const at = body.indexOf(ID_FIELD);
          if (at >= 0) ackedIds.push(body.slice(at + ID_FIELD.length, body.indexOf('"', at + ID_FIELD.length)));
        },
      },
    ],
  });
  return {
    seconds: result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    perSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ackedIds,
  };
}

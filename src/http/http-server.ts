import { createServer, type Server } from 'node:http';
import type express from 'express';
import type { Config } from '../config/config';

/**
 * The HTTP server for the app, with timeouts that bound how long a slow client can hold a
 * connection (Node's defaults: 60 s for the headers, 300 s for the whole request).
 */
export function createHttpServer(app: express.Express, timeouts: Config['http']): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      // Node looks for expired requests only this often (default 30 s, which would let a 30 s
      // request timeout run to nearly 60 s).
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    app,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

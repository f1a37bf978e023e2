import http from 'node:http';

/**
 * A local OTLP/HTTP endpoint for bench:tracing, in its own process so it never shares the load
 * generator's event loop: takes every export on /v1/traces (200, as a collector answers), counts
 * requests and bytes, and reports them on GET /count. GET /health/live answers 200.
 */
let requests = 0;
let bytes = 0;
http
  .createServer((req, res) => {
    if (req.method === 'GET') {
      const body = req.url === '/count' ? JSON.stringify({ requests, bytes }) : 'ok';
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');

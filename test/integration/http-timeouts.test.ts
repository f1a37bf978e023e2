import { THUMBTACK_AUTHORIZATION } from '../fakes/thumbtack-deliveries';
import { listen, rawRequest } from '../helpers/raw-http';
import { suiteHarness } from '../helpers/suite';

/** Thumbtack's real credential: the pre-check passes, so the server goes on to read the body. */
const HEAD = [
  'POST /webhooks/thumbtack HTTP/1.1',
  'Host: hooks.example.com',
  `Authorization: ${THUMBTACK_AUTHORIZATION}`,
  'Content-Type: application/json',
  'Content-Length: 1000',
].join('\r\n');

// Timeouts belong to the HTTP server, not the database: one database kind is enough.
describe('HTTP server timeouts (HTTP_HEADERS_TIMEOUT_MS=400, HTTP_REQUEST_TIMEOUT_MS=800)', () => {
  const h = suiteHarness('pglite', {
    HTTP_HEADERS_TIMEOUT_MS: '400',
    HTTP_REQUEST_TIMEOUT_MS: '800',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '300',
  });
  let port = 0;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ port, close } = await listen(h.runtime.app, h.config.http));
  });
  afterAll(() => close());

  it('cuts off a body dripped one byte every 100 ms at the request timeout with 408', async () => {
    const drip = Array.from({ length: 100 }, () => 'x');
    const answer = await rawRequest(port, HEAD, { parts: drip, gapMs: 100, timeoutMs: 8000 });
    expect(answer.status).toBe(408);
    // Node checks for expired requests every min(1 s, headers timeout): 800 ms + up to 400 ms.
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(700);
    expect(answer.closedAfterMs).toBeLessThan(3000);
  });

  it('cuts off headers that never end at the headers timeout with 408', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`);
    const answer = await rawRequest(port, 'POST /webhooks/thumbtack HTTP/1.1\r\nHost: hooks.example.com', {
      endHead: false,
      parts: lines,
      gapMs: 100,
      timeoutMs: 8000,
    });
    expect(answer.status).toBe(408);
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(300);
    expect(answer.closedAfterMs).toBeLessThan(3000);
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    const health = 'GET /health/live HTTP/1.1\r\nHost: hooks.example.com';
    const answer = await rawRequest(port, health, { timeoutMs: 5000 });
    expect(answer.status).toBe(200);
    expect(answer.closedAfterMs).toBeLessThan(2500);
  });
});

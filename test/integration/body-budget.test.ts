import { connect, type Socket } from 'node:net';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { listen, rawRequest } from '../helpers/raw-http';
import { signResend } from '../helpers/sign';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId } from '../helpers/webhooks';

/** A Resend request whose headers pass the pre-check, announcing `length` bytes it never finishes. */
function slowForgedBody(port: number, length: number): Promise<Socket> {
  const headers = {
    ...signResend(TEST_SECRETS.resendSecret, '{}'),
    'Content-Type': 'application/json',
    'Content-Length': String(length),
  };
  const head = [
    'POST /webhooks/resend HTTP/1.1',
    'Host: hooks.example.com',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n{"type":"email.sent",`);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The embedded database is enough: the budget is taken before the body is read.
describe.each(databaseKinds().filter((k) => k === 'pglite'))('body budget on %s', (kind) => {
  const h = suiteHarness(kind, { MAX_BODY_BYTES: '100000', INGEST_MAX_BUFFERED_BYTES: '200000' });
  let port = 0;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ port, close } = await listen(h.runtime.app, h.config.http));
  });
  afterAll(() => close());

  it('answers 503 too_busy at once while slow bodies hold the budget, and takes requests again when they go', async () => {
    const held = [await slowForgedBody(port, 99_900), await slowForgedBody(port, 99_900)];
    await pause(100);

    const body = JSON.stringify(emailEvent('email.delivered', emailId()));
    const signed = {
      ...signResend(TEST_SECRETS.resendSecret, body),
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
    };
    const head = [
      'POST /webhooks/resend HTTP/1.1',
      'Host: hooks.example.com',
      ...Object.entries(signed).map(([k, v]) => `${k}: ${v}`),
    ].join('\r\n');
    const refused = await rawRequest(port, head.replace('Host:', 'Connection: close\r\nHost:'), {
      parts: [body],
      timeoutMs: 4000,
    });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ error: 'too_busy', message: expect.stringContaining('retry') });

    for (const socket of held) socket.destroy();
    await pause(200);
    const accepted = await rawRequest(port, head.replace('Host:', 'Connection: close\r\nHost:'), {
      parts: [body],
      timeoutMs: 4000,
    });
    expect(accepted.status).toBe(200);
    expect(JSON.parse(accepted.body)).toMatchObject({ received: true, duplicate: false });
  });
});

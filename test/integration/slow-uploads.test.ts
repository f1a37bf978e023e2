import { randomBytes } from 'node:crypto';
import { providers } from '../../providers';
import { databaseKinds, type Harness } from '../helpers/harness';
import { listen, rawRequest, type RawAnswer } from '../helpers/raw-http';
import { suiteHarness } from '../helpers/suite';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Svix-shaped headers made without any secret: they pass Resend's pre-check, never its verification. */
const forgedSvix = () => ({
  'svix-id': `msg_${randomBytes(12).toString('hex')}`,
  'svix-timestamp': String(Math.floor(Date.now() / 1000)),
  'svix-signature': `v1,${randomBytes(32).toString('base64')}`,
  'Content-Type': 'application/json',
  Connection: 'close',
});

const head = (path: string, headers: Record<string, string>) =>
  [`POST ${path} HTTP/1.1`, 'Host: hooks.example.com', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join(
    '\r\n',
  );

/** A forged Resend upload from `from` announcing `length` bytes, sending `parts` `gapMs` apart. */
const forgedUpload = (port: number, from: string, length: number, parts: (string | Buffer)[], gapMs: number) =>
  rawRequest(port, head('/webhooks/resend', { ...forgedSvix(), 'Content-Length': String(length) }), {
    from,
    parts,
    gapMs,
    timeoutMs: 15_000,
  });

/** A genuine webhook of `provider`, signed as the provider signs it, sent from 127.0.0.1. */
async function genuine(h: Harness, provider: keyof typeof providers, event: string): Promise<number> {
  const sample = providers[provider].samples![event]!({ config: h.config, baseUrl: h.config.publicBaseUrl! });
  return (await h.http().post(sample.path).set(sample.headers).send(sample.body)).status;
}

const GENUINE: [keyof typeof providers, string][] = [
  ['twilio', 'sms.received'],
  ['resend', 'email.delivered'],
  ['jobber', 'CLIENT_CREATE'],
  ['thumbtack', 'MessageCreatedV4'],
];

// The budgets live in the HTTP layer, before any statement: the embedded database is enough.
describe.each(databaseKinds().filter((k) => k === 'pglite'))('slow forged uploads on %s', (kind) => {
  describe('130 uploads trickled at 1 byte/s from another address (the review’s probe)', () => {
    const h = suiteHarness(kind, { WEBHOOK_BODY_GRACE_MS: '3000' });
    let port = 0;
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ port, close } = await listen(h.runtime.app, h.config.http));
    });
    afterAll(() => close());

    it('genuine webhooks of every provider from 127.0.0.1 keep getting 200; the trickles are cut', async () => {
      const bytes = Array.from({ length: 8 }, () => 'x');
      const slow = Array.from({ length: 130 }, () => forgedUpload(port, '127.0.0.2', 524_288, bytes, 1000));
      await pause(300);
      const statuses: number[] = [];
      for (let round = 0; round < 4; round++) {
        for (const [provider, event] of GENUINE) statuses.push(await genuine(h, provider, event));
        await pause(400);
      }
      expect(statuses).toEqual(statuses.map(() => 200));

      const answers: RawAnswer[] = await Promise.all(slow);
      const codes = answers.map((a) => `${a.status} ${JSON.parse(a.body || '{}').error}`);
      // Over WEBHOOK_UPLOADS_PER_ADDRESS (64) at once: refused before a byte of body is held.
      expect(codes.filter((c) => c === '429 too_many_requests')).toHaveLength(130 - 64);
      // The others: below the minimum rate once the grace has passed, answered 408 and closed.
      expect(codes.filter((c) => c === '408 request_timeout')).toHaveLength(64);
      const cut = answers.filter((a) => a.status === 408);
      expect(Math.max(...cut.map((a) => a.closedAfterMs))).toBeLessThan(3000 + 2000);
      expect(cut[0]!.headers.connection).toBe('close');
      expect(JSON.parse(cut[0]!.body).message).toMatch(/WEBHOOK_BODY_MIN_BYTES_PER_SECOND/);
    }, 20_000);
  });

  describe('uploads that send most of their body, then stall', () => {
    // 4 providers share 1 MiB: 256 KiB each, the body limit.
    const h = suiteHarness(kind, {
      MAX_BODY_BYTES: '262144',
      INGEST_MAX_BUFFERED_BYTES: '1048576',
      WEBHOOK_BODY_GRACE_MS: '500',
    });
    let port = 0;
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ port, close } = await listen(h.runtime.app, h.config.http));
    });
    afterAll(() => close());

    it('fill only their own provider’s budget, are charged what they sent, and are cut below the rate', async () => {
      const stalled = forgedUpload(port, '127.0.0.3', 262_144, [Buffer.alloc(200_000, 'x')], 0);
      await pause(300);
      // Charged as bytes arrive: the declared 262,144 do not count, the 200,000 sent do.
      const over = await forgedUpload(port, '127.0.0.4', 262_144, [Buffer.alloc(100_000, 'x')], 0);
      expect(over.status).toBe(503);
      expect(JSON.parse(over.body)).toEqual({ error: 'too_busy', message: expect.stringContaining('retry') });
      // A genuine Resend webhook (a few KB) still fits beside them, and every other provider has its own budget.
      for (const [provider, event] of GENUINE) expect(await genuine(h, provider, event)).toBe(200);

      // 200,000 bytes at 64 KiB/s cover 3 s after the 0.5 s grace; then it is cut.
      const cut = await stalled;
      expect(cut.status).toBe(408);
      expect(cut.closedAfterMs).toBeGreaterThan(3000);
      expect(cut.closedAfterMs).toBeLessThan(5500);
      const again = await forgedUpload(port, '127.0.0.4', 262_144, [Buffer.alloc(250_000, 'x'), 'x'.repeat(12_144)], 0);
      expect(again.status).toBe(401);
    }, 20_000);
  });
});

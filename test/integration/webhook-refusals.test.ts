import { randomBytes } from 'node:crypto';
import { REFUSAL_LINES_PER_SECOND } from '../../src/http/ingest';
import { captureLogs } from '../helpers/logs';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, resendDelivery } from '../helpers/webhooks';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Svix-shaped headers made without the secret: past the pre-check, refused by the verification. */
const forged = () => ({
  'svix-id': `msg_${randomBytes(12).toString('hex')}`,
  'svix-timestamp': String(Math.floor(Date.now() / 1000)),
  'svix-signature': `v1,${randomBytes(32).toString('base64')}`,
  'content-type': 'application/json',
});

const refusedCount = (metrics: string) =>
  Number(
    /hookport_webhooks_received_total\{provider="resend",outcome="invalid_signature"\} (\d+)/.exec(metrics)?.[1] ?? 0,
  );

describe('a flood of forged webhooks', () => {
  const logs = captureLogs('info');
  const h = suiteHarness('pglite', { TRUST_PROXY: 'loopback' }, { logger: logs.logger });

  it('counts every 401 in the metrics, and writes a sample of their log lines', async () => {
    const before = refusedCount((await h.http().get('/metrics')).text);
    const started = Date.now();
    for (let i = 0; i < 60; i++) {
      const res = await h
        .http()
        .post('/webhooks/resend')
        .set(forged())
        .set('x-forwarded-for', '203.0.113.50')
        .send('{}');
      expect(res.status).toBe(401);
    }
    const seconds = Math.ceil((Date.now() - started) / 1000);
    await pause(1100);
    expect(refusedCount((await h.http().get('/metrics')).text) - before).toBe(60);
    const written = logs.lines.filter((l) => l.message === 'webhook' && l.status === 401).length;
    expect(written).toBeLessThanOrEqual(REFUSAL_LINES_PER_SECOND * (seconds + 1));
    expect(written).toBeLessThan(60);
    const omitted = logs.lines.filter((l) => l.message === 'webhook refusals not logged');
    expect(omitted.reduce((sum, l) => sum + Number(l.omitted), 0)).toBe(60 - written);
  });
});

describe('WEBHOOK_REFUSALS_PER_ADDRESS', () => {
  const h = suiteHarness('pglite', { TRUST_PROXY: 'loopback', WEBHOOK_REFUSALS_PER_ADDRESS: '3' });
  const post = (headers: Record<string, string>, body: string, address: string) =>
    h.http().post('/webhooks/resend').set(headers).set('x-forwarded-for', address).send(body);

  it('past the limit, that address gets 429 before its body is read, genuine or not; others carry on', async () => {
    for (let i = 0; i < 3; i++) expect((await post(forged(), '{}', '203.0.113.60')).status).toBe(401);
    const genuine = resendDelivery(emailEvent('email.delivered', emailId()));
    const limited = await post(genuine.headers, genuine.body, '203.0.113.60');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: 'too_many_requests',
      message: expect.stringMatching(/WEBHOOK_REFUSALS_PER_ADDRESS.*retry in \d+ s/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(genuine.headers, genuine.body, '203.0.113.61')).status).toBe(200);
  });
});

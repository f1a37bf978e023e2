import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';
import { sample } from '../helpers/metrics';

const METRICS_TOKEN = 'metrics-token-for-the-scrape-0123456789';

describe.each(databaseKinds())('GET /metrics on %s', (kind) => {
  const h = suiteHarness(kind, { METRICS_TOKEN, HEALTH_CACHE_MS: '0' });
  const scrape = async () => {
    const res = await h.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.text;
  };

  it('refuses a scrape without the token, or with a wrong one', async () => {
    expect((await h.http().get('/metrics')).status).toBe(401);
    const wrong = await h.http().get('/metrics').set('Authorization', 'Bearer not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(METRICS_TOKEN);
  });

  it('counts webhooks by provider and outcome, the queue, processed events and their delay', async () => {
    expect((await postResend(h, emailEvent('email.delivered', emailId()))).status).toBe(200);
    const sms = inboundSms();
    expect((await postTwilio(h, sms)).status).toBe(200);
    expect((await postTwilio(h, sms)).status).toBe(200); // a retry
    expect((await h.http().post('/webhooks/resend').send('{}')).status).toBe(401);
    expect((await h.http().post('/webhooks/no-such-provider-8f3a').send('{}')).status).toBe(404);

    const before = await scrape();
    expect(sample(before, 'hookport_webhooks_received_total{provider="resend",outcome="stored"}')).toBe(1);
    expect(sample(before, 'hookport_webhooks_received_total{provider="twilio",outcome="stored"}')).toBe(1);
    expect(sample(before, 'hookport_webhooks_received_total{provider="twilio",outcome="duplicate"}')).toBe(1);
    expect(sample(before, 'hookport_webhooks_received_total{provider="resend",outcome="invalid_signature"}')).toBe(1);
    // An unknown path segment never becomes a label value.
    expect(sample(before, 'hookport_webhooks_received_total{provider="unknown",outcome="unknown_provider"}')).toBe(1);
    expect(before).not.toContain('no-such-provider-8f3a');
    expect(sample(before, 'hookport_webhook_ack_duration_seconds_count{provider="twilio"}')).toBe(2);
    expect(sample(before, 'hookport_queue_events{status="pending"}')).toBe(2);
    expect(sample(before, 'hookport_queue_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    expect(before).toContain('process_resident_memory_bytes');

    expect(await h.drain()).toEqual(['processed', 'processed']);
    const after = await scrape();
    expect(sample(after, 'hookport_events_processed_total{provider="twilio",outcome="processed"}')).toBe(1);
    expect(sample(after, 'hookport_events_processed_total{provider="resend",outcome="processed"}')).toBe(1);
    expect(sample(after, 'hookport_event_processing_delay_seconds_count{provider="resend"}')).toBe(1);
    expect(sample(after, 'hookport_queue_events{status="pending"}')).toBe(0);
  });
});

import { gzipSync } from 'node:zlib';
import express from 'express';
import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { jobberSignature } from '../../providers/jobber/webhook/verify';
import { MAX_FORM_PARAMETERS } from '../../providers/twilio/verify';
import type { AnyProvider } from '../../src/contract/provider';
import { THUMBTACK_AUTHORIZATION, basicAuthorization } from '../fakes/thumbtack-deliveries';
import { databaseKinds, TEST_SECRETS, type Harness } from '../helpers/harness';
import { captureLogs } from '../helpers/logs';
import { listen, rawRequest } from '../helpers/raw-http';
import { signResend } from '../helpers/sign';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, inboundSms, postTwilio, resendDelivery } from '../helpers/webhooks';

const storedCount = async (h: Harness) =>
  Number((await h.rows<{ n: string | number }>(sql`select count(*) as n from webhook_events`))[0]!.n);

/** A request head: request line and headers. */
const head = (path: string, headers: Record<string, string>) =>
  [`POST ${path} HTTP/1.1`, 'Host: hooks.example.com', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join(
    '\r\n',
  );

/** Headers that pass each provider's pre-check (shaped right, fresh, or the real Basic credential). */
// Sources verify per source, each row its own kind: their refusals are in sources.test.ts.
const PLAUSIBLE: Record<Exclude<keyof typeof providers, 'sources'>, Record<string, string>> = {
  twilio: { 'X-Twilio-Signature': `${'A'.repeat(27)}=`, 'Content-Type': 'application/x-www-form-urlencoded' },
  jobber: { 'X-Jobber-Hmac-SHA256': `${'A'.repeat(43)}=`, 'Content-Type': 'application/json' },
  resend: signResend(TEST_SECRETS.resendSecret, '{}'),
  thumbtack: { Authorization: THUMBTACK_AUTHORIZATION, 'Content-Type': 'application/json' },
  slack: {
    'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
    'Content-Type': 'application/x-www-form-urlencoded',
  },
};

const tenMinutes = 10 * 60_000;
const staleSvix = () => signResend(TEST_SECRETS.resendSecret, '{}', { timestamp: new Date(Date.now() - tenMinutes) });
const futureSvix = () => signResend(TEST_SECRETS.resendSecret, '{}', { timestamp: new Date(Date.now() + tenMinutes) });

describe.each(databaseKinds())('hostile requests on %s', (kind) => {
  // Jobber's limit lowered through its override, so a body just over it stays small.
  const h = suiteHarness(kind, { JOBBER_MAX_BODY_BYTES: '65536' });
  let port = 0;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ port, close } = await listen(h.runtime.app, h.config.http));
  });
  afterAll(() => close());

  describe('refused from the headers alone: the body is never awaited', () => {
    // Each sends its headers announcing 100,000 bytes, then nothing: only an answer that does not
    // wait for the body arrives (the request timeout is 30 s).
    const cases: [string, string, Record<string, string>, RegExp][] = [
      ['Twilio without a signature', 'twilio', {}, /missing X-Twilio-Signature/],
      ['Twilio with a malformed signature', 'twilio', { 'X-Twilio-Signature': 'forged' }, /not a base64 HMAC-SHA1/],
      ['Jobber without a signature', 'jobber', {}, /missing X-Jobber-Hmac-SHA256/],
      [
        'Jobber with a malformed signature',
        'jobber',
        { 'X-Jobber-Hmac-SHA256': 'A'.repeat(44) },
        /not a base64 HMAC-SHA256/,
      ],
      ['Resend without Svix headers', 'resend', {}, /missing svix-id/],
      ['Resend with a stale svix-timestamp', 'resend', staleSvix(), /too old/],
      ['Resend with a future svix-timestamp', 'resend', futureSvix(), /too new/],
      ['Thumbtack without credentials', 'thumbtack', {}, /missing Authorization/],
      [
        'Thumbtack with the wrong password',
        'thumbtack',
        { Authorization: basicAuthorization(TEST_SECRETS.thumbtackUsername, 'not-the-password') },
        /do not match/,
      ],
    ];

    it.each(cases)('%s → 401 at once, connection closed, nothing stored', async (_name, provider, headers, message) => {
      const before = await storedCount(h);
      const answer = await rawRequest(port, head(`/webhooks/${provider}`, { ...headers, 'Content-Length': '100000' }), {
        timeoutMs: 4000,
      });
      expect(answer.status).toBe(401);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({ error: 'invalid_signature', message: expect.stringMatching(message) });
      expect(answer.body).not.toContain(TEST_SECRETS.thumbtackPassword);
      expect(await storedCount(h)).toBe(before);
    });

    it.each(Object.keys(PLAUSIBLE))('%s: a Content-Length over its limit → 413 at once', async (name) => {
      const limit = h.config.bodyLimits[name]!;
      const headers = { ...PLAUSIBLE[name as keyof typeof PLAUSIBLE], 'Content-Length': String(limit + 1) };
      const answer = await rawRequest(port, head(`/webhooks/${name}`, headers), { timeoutMs: 4000 });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({
        error: 'payload_too_large',
        message: expect.stringContaining(`${limit} bytes`),
      });
    });

    it('a compressed body → 415 at once', async () => {
      const headers = { ...PLAUSIBLE.resend, 'Content-Encoding': 'gzip', 'Content-Length': '100000' };
      const answer = await rawRequest(port, head('/webhooks/resend', headers), { timeoutMs: 4000 });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.body)).toEqual({
        error: 'unsupported_media_type',
        message: expect.stringContaining('gzip'),
      });
    });
  });

  describe('per-provider body limits on real bodies', () => {
    const jobberBody = (bytes: number) => {
      const event = {
        data: {
          webHookEvent: {
            topic: 'CLIENT_UPDATE',
            accountId: 'MQ==',
            itemId: 'MQ==',
            occurredAt: '2026-05-01T12:00:00Z',
          },
        },
      };
      const text = JSON.stringify(event);
      return `${text.slice(0, -1)},"pad":"${'x'.repeat(bytes - text.length - 9)}"}`;
    };
    const postJobber = (body: string) =>
      h
        .http()
        .post('/webhooks/jobber')
        .set('content-type', 'application/json')
        .set('x-jobber-hmac-sha256', jobberSignature(TEST_SECRETS.jobberClientSecret, body))
        .send(body);

    it('a signed Jobber body over JOBBER_MAX_BODY_BYTES → 413, nothing stored; one at it is stored', async () => {
      const limit = h.config.bodyLimits.jobber!;
      expect(limit).toBe(65536);
      const before = await storedCount(h);
      const over = await postJobber(jobberBody(limit + 1));
      expect(over.status).toBe(413);
      expect(over.body).toEqual({ error: 'payload_too_large', message: expect.stringContaining(`${limit} bytes`) });
      expect(await storedCount(h)).toBe(before);
      const under = jobberBody(limit);
      expect(Buffer.byteLength(under)).toBe(limit);
      expect((await postJobber(under)).status).toBe(200);
    });

    it('a signed 700 KiB Resend event is stored: every provider takes bodies up to MAX_BODY_BYTES', async () => {
      expect(h.config.bodyLimits).toEqual({
        twilio: h.config.maxBodyBytes,
        resend: h.config.maxBodyBytes,
        thumbtack: h.config.maxBodyBytes,
        slack: h.config.maxBodyBytes,
        sources: h.config.maxBodyBytes,
        jobber: 65536,
      });
      const event = emailEvent('email.delivered', emailId());
      const body = JSON.stringify({
        ...event,
        data: { ...(event.data as object), tags: { note: 'x'.repeat(700 * 1024) } },
      });
      const answer = await h
        .http()
        .post('/webhooks/resend')
        .set({ ...signResend(TEST_SECRETS.resendSecret, body), 'content-type': 'application/json' })
        .send(body);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ received: true, duplicate: false });
    });

    it('a chunked body (no Content-Length) over the limit → 413, nothing stored', async () => {
      const before = await storedCount(h);
      const data = 'x'.repeat(h.config.bodyLimits.jobber! + 100);
      const chunked = `${data.length.toString(16)}\r\n${data}\r\n0\r\n\r\n`;
      const headers = { ...PLAUSIBLE.jobber, 'Transfer-Encoding': 'chunked', Connection: 'close' };
      const answer = await rawRequest(port, head('/webhooks/jobber', headers), { parts: [chunked], timeoutMs: 4000 });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error).toBe('payload_too_large');
      expect(await storedCount(h)).toBe(before);
    });
  });

  describe('bounded verification cost', () => {
    /** An inbound SMS padded with extra fields to exactly `count` parameters. */
    const manyParams = (count: number) => {
      const sms = inboundSms();
      return {
        ...sms,
        ...Object.fromEntries(Array.from({ length: count - Object.keys(sms).length }, (_, i) => [`X${i}`, 'v'])),
      };
    };

    it(`a correctly signed Twilio form with more than ${MAX_FORM_PARAMETERS} parameters → 413, nothing stored`, async () => {
      const params = manyParams(MAX_FORM_PARAMETERS + 1);
      expect(Object.keys(params)).toHaveLength(MAX_FORM_PARAMETERS + 1);
      const before = await storedCount(h);
      const res = await postTwilio(h, params);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        error: 'payload_too_large',
        message: expect.stringContaining(`at most ${MAX_FORM_PARAMETERS} parameters`),
      });
      expect(await storedCount(h)).toBe(before);
    });

    it(`one with exactly ${MAX_FORM_PARAMETERS} is stored`, async () => {
      const params = manyParams(MAX_FORM_PARAMETERS);
      expect(Object.keys(params)).toHaveLength(MAX_FORM_PARAMETERS);
      expect((await postTwilio(h, params)).status).toBe(200);
    });
  });

  describe('compressed bodies are never inflated', () => {
    it('a signed Resend event, gzipped → 415, nothing stored', async () => {
      const { body, headers } = resendDelivery(emailEvent('email.delivered', emailId()));
      const before = await storedCount(h);
      const res = await h
        .http()
        .post('/webhooks/resend')
        .set(headers)
        .set('content-encoding', 'gzip')
        .send(gzipSync(body));
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ error: 'unsupported_media_type', message: expect.stringContaining('uncompressed') });
      expect(await storedCount(h)).toBe(before);
    });

    it('"gzip" that is not gzip → 415, not 500', async () => {
      const res = await h
        .http()
        .post('/webhooks/twilio')
        .set(PLAUSIBLE.twilio)
        .set('content-encoding', 'gzip')
        .send('not gzip at all');
      expect(res.status).toBe(415);
      expect(res.body.error).toBe('unsupported_media_type');
    });

    it('Content-Encoding: identity is an uncompressed body', async () => {
      const { body, headers } = resendDelivery(emailEvent('email.delivered', emailId()));
      const res = await h.http().post('/webhooks/resend').set(headers).set('content-encoding', 'identity').send(body);
      expect(res.status).toBe(200);
    });
  });
});

describe.each(databaseKinds())('malformed requests on %s', (kind) => {
  const logs = captureLogs();
  // A provider with a route taking a path parameter, and one that fails, to reach the app's own
  // error handler (outside /webhooks).
  const probe: AnyProvider = {
    ...providers.twilio,
    routes: () =>
      express
        .Router()
        .get('/probe/:id', (req, res) => {
          res.json({ id: req.params.id });
        })
        .get('/probe-fault', () => {
          throw new Error('a real server fault');
        }),
  };
  const h = suiteHarness(kind, {}, { logger: logs.logger, providers: { ...providers, twilio: probe } });

  it('POST /webhooks/%ZZ → 400 JSON, logged below error', async () => {
    const res = await h.http().post('/webhooks/%ZZ').send('{}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message: 'the request path is not valid percent-encoding' });
    const line = logs.lines.find((l) => l.status === 400);
    expect(line).toMatchObject({ level: 'info', error: 'invalid_request' });
    expect(logs.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a path parameter that is not valid percent-encoding elsewhere → 400 JSON, logged below error', async () => {
    expect((await h.http().get('/probe/ok%20id')).body).toEqual({ id: 'ok id' });
    const res = await h.http().get('/probe/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message: 'the request path is not valid percent-encoding' });
    expect(logs.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a real server fault still answers 500 and is logged at error', async () => {
    const res = await h.http().get('/probe-fault');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal_error', message: 'internal error' });
    expect(logs.lines.filter((l) => l.level === 'error').map((l) => l.error)).toEqual(['a real server fault']);
  });
});

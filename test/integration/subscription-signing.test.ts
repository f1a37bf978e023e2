import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';
import { waitFor } from '../helpers/wait';
import { inboundSms, postTwilio } from '../helpers/webhooks';

/**
 * The signing modes, each checked by receiver code as the receivers Hookport replaces wrote it: an
 * Express app that re-serializes its parsed body (express.json() + JSON.stringify(req.body)), one
 * that reads the raw bytes (express.raw()), and a Standard Webhooks receiver using the
 * standardwebhooks library. None of them uses Hookport's own signer.
 */

const ADMIN_TOKEN = 'subscription-signing-admin-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

type Style = 'json' | 'raw' | 'standard';
type Mode = 'standard-webhooks' | 'hmac-sha256' | 'hmac-sha256-hex';

interface Got {
  name: string;
  headers: Record<string, string | string[] | undefined>;
  /** What the receiver computed its HMAC over (the re-serialized body, or the raw bytes as text). */
  signed: string;
  body: Record<string, unknown>;
  verified: boolean;
}

/** An HMAC receiver as such receivers are written: the expected header from the secret, compared in constant time. */
function hmacMatches(mode: Mode, secret: string, payload: string | Buffer, header: string | undefined): boolean {
  const hex = createHmac('sha256', secret).update(payload).digest('hex');
  const expected = mode === 'hmac-sha256' ? `sha256=${hex}` : hex;
  const given = Buffer.from(header ?? '');
  return given.length === Buffer.byteLength(expected) && timingSafeEqual(given, Buffer.from(expected));
}

/**
 * One receiver app: POST /:name checks the delivery with the secret and mode registered for that
 * name, answers 200 when it verifies and 401 when not, and records what it saw.
 */
class ReceiverApp {
  readonly got: Got[] = [];
  readonly endpoints = new Map<string, { mode: Mode; secret: string }>();
  private server?: Server;

  constructor(readonly style: Style) {}

  async start(): Promise<void> {
    const app = express();
    const parser = this.style === 'json' ? express.json() : express.raw({ type: 'application/json' });
    app.post('/:name', parser, (req, res) => {
      const name = String(req.params.name);
      const endpoint = this.endpoints.get(name);
      if (!endpoint) return void res.status(404).end();
      let verified: boolean;
      let signed: string;
      let body: Record<string, unknown>;
      if (this.style === 'json') {
        // What a receiver behind express.json() has: the parsed body, serialized again.
        signed = JSON.stringify(req.body);
        body = req.body as Record<string, unknown>;
        verified = hmacMatches(endpoint.mode, endpoint.secret, signed, req.get('x-webhook-signature'));
      } else {
        const raw = req.body as Buffer;
        signed = raw.toString('utf8');
        body = JSON.parse(signed) as Record<string, unknown>;
        if (this.style === 'raw')
          verified = hmacMatches(endpoint.mode, endpoint.secret, raw, req.get('x-webhook-signature'));
        else {
          try {
            new Webhook(endpoint.secret).verify(signed, req.headers as Record<string, string>);
            verified = true;
          } catch {
            verified = false;
          }
        }
      }
      this.got.push({ name, headers: req.headers, signed, body, verified });
      res.status(verified ? 200 : 401).send(verified ? 'ok' : 'bad signature');
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
  }

  url(name: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/${name}`;
  }

  of(name: string): Got[] {
    return this.got.filter((g) => g.name === name);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const whsec = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;
/** Printable ASCII of every kind (space and symbols included), `length` characters. */
const printable = (length: number) => {
  const chars = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
  return Array.from(randomBytes(length), (b) => chars[b % chars.length]).join('');
};

describe.each(databaseKinds())('subscription signing modes on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_SWEEP_MS: '50',
    DELIVERY_RETRY_SCHEDULE: '100ms',
    DELIVERY_TIMEOUT_MS: '3000',
    DELIVERY_SECRET_OVERLAP: '1h',
  });
  const apps = { json: new ReceiverApp('json'), raw: new ReceiverApp('raw'), standard: new ReceiverApp('standard') };
  let n = 0;
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const count = async () => (await h.rows(sql`select id from subscriptions where deleted_at is null`)).length;

  /** A subscription to message.received at a fresh endpoint of `app`, registered there with its secret. */
  const subscribe = async (
    app: ReceiverApp,
    mode: Mode,
    extra: { secret?: string; signing?: Mode | undefined } = {},
  ) => {
    const name = `ep${++n}`;
    const signing = 'signing' in extra ? extra.signing : mode;
    const res = await api('post', '/subscriptions', {
      url: app.url(name),
      eventTypes: ['message.received'],
      ...(signing ? { signing } : {}),
      ...(extra.secret ? { secret: extra.secret } : {}),
    });
    expect(res.status).toBe(201);
    registerSecret('subscription secret', res.body.secret);
    app.endpoints.set(name, { mode, secret: res.body.secret });
    return { id: res.body.id as string, secret: res.body.secret as string, name, body: res.body };
  };
  const testSend = async (id: string) => {
    const res = await api('post', `/subscriptions/${id}/test`, { eventType: 'message.received' });
    expect(res.status).toBe(200);
    return res.body as { status: string; responseStatus: number | null };
  };

  beforeAll(async () => {
    await Promise.all(Object.values(apps).map((a) => a.start()));
    h.runtime.deliveryWorker.start();
  });
  afterEach(async () => {
    for (const s of (await api('get', '/subscriptions')).body.subscriptions as { id: string }[])
      await api('delete', `/subscriptions/${s.id}`);
  });
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((a) => a.close()));
  });

  it('signs a real event in each mode so that each kind of receiver verifies it (express.json + JSON.stringify, express.raw, standardwebhooks)', async () => {
    const subs = [
      { app: apps.json, ...(await subscribe(apps.json, 'hmac-sha256')) },
      { app: apps.raw, ...(await subscribe(apps.raw, 'hmac-sha256')) },
      { app: apps.json, ...(await subscribe(apps.json, 'hmac-sha256-hex')) },
      { app: apps.raw, ...(await subscribe(apps.raw, 'hmac-sha256-hex')) },
      // The default mode, not named on create.
      { app: apps.standard, ...(await subscribe(apps.standard, 'standard-webhooks', { signing: undefined })) },
    ];
    expect(subs.map((s) => s.body.signing)).toEqual([
      'hmac-sha256',
      'hmac-sha256',
      'hmac-sha256-hex',
      'hmac-sha256-hex',
      'standard-webhooks',
    ]);
    // Generated secrets: 64 hex characters in the HMAC modes, whsec_ + base64 of 32 bytes for Standard Webhooks.
    for (const s of subs.slice(0, 4)) expect(s.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(subs[4]!.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);

    const text = 'URGENT: the water heater is leaking';
    expect((await postTwilio(h, inboundSms({ Body: text }))).status).toBe(200);
    await h.drain();
    await waitFor(
      async () => subs.map((s) => s.app.of(s.name).length),
      (counts) => counts.every((c) => c === 1),
      10_000,
    );
    const [event] = await h.rows<{ id: string }>(
      sql`select id from canonical_events where type = 'message.received' order by created_at desc limit 1`,
    );
    const seconds = Math.floor(Date.now() / 1000);

    for (const s of subs.slice(0, 4)) {
      const got = s.app.of(s.name)[0]!;
      expect([s.name, got.verified]).toEqual([s.name, true]);
      // The verification is not vacuous: another secret does not match.
      expect(
        hmacMatches(
          s.body.signing,
          'another-secret-of-enough-length',
          got.signed,
          String(got.headers['x-webhook-signature']),
        ),
      ).toBe(false);
      expect(String(got.headers['x-webhook-signature'])).toMatch(
        s.body.signing === 'hmac-sha256' ? /^sha256=[0-9a-f]{64}$/ : /^[0-9a-f]{64}$/,
      );
      expect(got.headers['x-webhook-id']).toBe(event!.id);
      expect(got.headers['x-webhook-event']).toBe('message.received');
      expect(Math.abs(Number(got.headers['x-webhook-timestamp']) - seconds)).toBeLessThan(60);
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      expect(got.headers['webhook-signature']).toBeUndefined();
      expect(Object.keys(got.body)).toEqual(['event', 'timestamp', 'data']);
      expect(got.body.event).toBe('message.received');
      expect((got.body.data as { object: { body: string } }).object.body).toContain('URGENT');
    }
    const standard = subs[4]!.app.of(subs[4]!.name)[0]!;
    expect(standard.verified).toBe(true);
    const verified = new Webhook(subs[4]!.secret).verify(
      standard.signed,
      standard.headers as Record<string, string>,
    ) as { type: string; data: { object: { body: string } } };
    expect(verified.type).toBe('message.received');
    expect(verified.data.object.body).toContain('URGENT');
    expect(standard.headers['webhook-id']).toBe(event!.id);
    expect(standard.headers['x-webhook-signature']).toBeUndefined();
    expect(() => new Webhook(whsec(32)).verify(standard.signed, standard.headers as Record<string, string>)).toThrow();

    // Every receiver answered 200: each delivery succeeded on its first attempt.
    const rows = await waitFor(
      () =>
        h.rows<{ status: string; attempts: number }>(
          sql`select status, attempts from deliveries where canonical_event_id = ${event!.id}::uuid`,
        ),
      (all) => all.length === subs.length && all.every((r) => r.status !== 'delivering'),
    );
    expect(rows).toEqual(subs.map(() => ({ status: 'succeeded', attempts: 1 })));
  });

  it('accepts an own secret in each mode (shortest and longest), signs with it, and shows it only at /secret', async () => {
    const cases: [ReceiverApp, Mode, string][] = [
      [apps.standard, 'standard-webhooks', whsec(24)],
      [apps.standard, 'standard-webhooks', whsec(64)],
      [apps.json, 'hmac-sha256', printable(24)],
      [apps.raw, 'hmac-sha256', printable(256)],
      [apps.json, 'hmac-sha256-hex', 'my-own-legacy-secret-2024!'],
      [apps.raw, 'hmac-sha256-hex', printable(100)],
    ];
    for (const [app, mode, secret] of cases) {
      registerSecret('own subscription secret', secret);
      const s = await subscribe(app, mode, { secret });
      expect(s.body).toMatchObject({ secret, signing: mode, enabled: true });
      const one = await api('get', `/subscriptions/${s.id}`);
      expect(one.body.signing).toBe(mode);
      expect(JSON.stringify(one.body)).not.toContain(secret);
      expect((await api('get', `/subscriptions/${s.id}/secret`)).body).toEqual({
        secret,
        previousSecret: null,
        previousSecretExpiresAt: null,
      });
      expect(await testSend(s.id)).toMatchObject({ status: 'succeeded', responseStatus: 200 });
      expect(app.of(s.name).map((g) => g.verified)).toEqual([true]);
    }
  });

  it('refuses an own secret that cannot sign in its mode: 400 invalid_request naming the field, never the secret, and nothing created', async () => {
    const before = await count();
    const cases: [Mode | undefined, string][] = [
      [undefined, 'not-a-whsec-secret-but-long-enough'],
      ['standard-webhooks', 'whsec_'],
      ['standard-webhooks', whsec(16)],
      ['standard-webhooks', whsec(65)],
      ['standard-webhooks', 'whsec_not*base64*at*all*0123456789'],
      ['hmac-sha256', printable(23)],
      ['hmac-sha256', printable(257)],
      ['hmac-sha256', 'a'.repeat(30) + '\n'],
      ['hmac-sha256-hex', 'secret-with-a-non-ascii-é-character'],
      ['hmac-sha256-hex', `tab\tinside-a-secret-${'x'.repeat(20)}`],
      ['hmac-sha256-hex', ''],
    ];
    for (const [mode, secret] of cases) {
      if (secret.length >= 8) registerSecret('refused subscription secret', secret);
      const res = await api('post', '/subscriptions', {
        url: apps.json.url('refused'),
        eventTypes: ['*'],
        ...(mode ? { signing: mode } : {}),
        secret,
      });
      expect([mode, secret.length, res.status, res.body.error]).toEqual([mode, secret.length, 400, 'invalid_request']);
      expect(res.body.message).toMatch(/^body: secret: /);
      if (secret.length > 0) expect(res.body.message).not.toContain(secret);
    }
    // Slack is not signed: a signing option is refused, a mode too.
    for (const extra of [{ secret: whsec(32) }, { signing: 'hmac-sha256' }]) {
      const res = await api('post', '/subscriptions', {
        kind: 'slack',
        url: 'https://hooks.slack.com/services/T0/B0/abcdefabcdefabcdefabcdef',
        eventTypes: ['*'],
        ...extra,
      });
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      expect(res.body.message).toContain('Slack subscriptions are not signed');
    }
    const unknownMode = await api('post', '/subscriptions', {
      url: apps.json.url('refused'),
      eventTypes: ['*'],
      signing: 'hmac-sha1',
    });
    expect([unknownMode.status, unknownMode.body.error]).toEqual([400, 'invalid_request']);
    expect(unknownMode.body.message).toContain('signing');
    expect(await count()).toBe(before);
  });

  it('rotates an HMAC secret at once: no previous secret signs, the new one alone verifies; a refused own secret changes nothing', async () => {
    const first = printable(32);
    registerSecret('own subscription secret', first);
    const s = await subscribe(apps.raw, 'hmac-sha256', { secret: first });
    const second = printable(48);
    registerSecret('own subscription secret', second);
    const rotated = await api('post', `/subscriptions/${s.id}/rotate-secret`, { secret: second });
    expect([rotated.status, rotated.body]).toEqual([200, { secret: second, previousSecretExpiresAt: null }]);
    expect((await api('get', `/subscriptions/${s.id}/secret`)).body).toEqual({
      secret: second,
      previousSecret: null,
      previousSecretExpiresAt: null,
    });
    expect((await api('get', `/subscriptions/${s.id}`)).body.previousSecretExpiresAt).toBeNull();

    // The receiver still has the old secret: the delivery does not verify with it…
    expect(await testSend(s.id)).toMatchObject({ status: 'dead', responseStatus: 401 });
    const old = apps.raw.of(s.name).at(-1)!;
    expect(hmacMatches('hmac-sha256', first, old.signed, String(old.headers['x-webhook-signature']))).toBe(false);
    // …and does with the new one (one signature, the new secret's).
    apps.raw.endpoints.set(s.name, { mode: 'hmac-sha256', secret: second });
    expect(await testSend(s.id)).toMatchObject({ status: 'succeeded', responseStatus: 200 });

    // Generated: 64 hex characters; refused: nothing changes.
    const generated = await api('post', `/subscriptions/${s.id}/rotate-secret`);
    expect(generated.status).toBe(200);
    registerSecret('subscription secret', generated.body.secret);
    expect(generated.body).toEqual({ secret: expect.stringMatching(/^[0-9a-f]{64}$/), previousSecretExpiresAt: null });
    for (const bad of ['too-short', whsec(2), 'x'.repeat(257)]) {
      const refused = await api('post', `/subscriptions/${s.id}/rotate-secret`, { secret: bad });
      expect([refused.status, refused.body.error]).toEqual([400, 'invalid_request']);
      expect(refused.body.message).toMatch(/^body: secret: /);
      expect(refused.text).not.toContain(bad);
    }
    expect((await api('post', `/subscriptions/${s.id}/rotate-secret`, { secret: 5 })).status).toBe(400);
    expect((await api('get', `/subscriptions/${s.id}/secret`)).body.secret).toBe(generated.body.secret);
  });

  it('rotates a Standard Webhooks secret with the overlap: both signatures sent, each verifies; an own secret must be whsec_', async () => {
    const first = whsec(32);
    registerSecret('own subscription secret', first);
    const s = await subscribe(apps.standard, 'standard-webhooks', { secret: first });
    const hmacShaped = printable(40);
    registerSecret('refused subscription secret', hmacShaped);
    const refused = await api('post', `/subscriptions/${s.id}/rotate-secret`, { secret: hmacShaped });
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_request']);
    expect(refused.text).not.toContain(hmacShaped);
    expect((await api('get', `/subscriptions/${s.id}/secret`)).body.secret).toBe(first);

    const second = whsec(40);
    registerSecret('own subscription secret', second);
    const rotated = await api('post', `/subscriptions/${s.id}/rotate-secret`, { secret: second });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toBe(second);
    expect(new Date(rotated.body.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await api('get', `/subscriptions/${s.id}/secret`)).body).toMatchObject({
      secret: second,
      previousSecret: first,
    });

    // The receiver has the old secret; the delivery carries both signatures and verifies with either.
    expect(await testSend(s.id)).toMatchObject({ status: 'succeeded' });
    const got = apps.standard.of(s.name).at(-1)!;
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [first, second]) {
      expect(
        (new Webhook(secret).verify(got.signed, got.headers as Record<string, string>) as { type: string }).type,
      ).toBe('message.received');
    }
  });
});

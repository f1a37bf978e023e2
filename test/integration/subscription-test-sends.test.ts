import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { cliEnv, hookport, listen } from '../helpers/cli';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver, verifyDelivery, type Received } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';

/**
 * `POST /admin/api/subscriptions/:id/test` with `{"eventType"?, "payload"?}` and the CLI's
 * `subscriptions test <id> --type T [--payload JSON]`: an event of a catalogue type whose body
 * validates against the catalogue's schema of that type, its data.object the example's or the
 * payload, signed in the subscription's mode.
 */

const ADMIN_TOKEN = 'subscription-test-sends-admin-token-0123456789';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface Body {
  type?: string;
  event?: string;
  timestamp: string;
  data: { object: Record<string, unknown>; source: Record<string, unknown>; previous?: unknown };
}

describe.each(databaseKinds())('typed test sends on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true', DELIVERY_TIMEOUT_MS: '3000' });
  const catalogue = catalogueOf(providers);
  const receiver = new Receiver();
  let server: Awaited<ReturnType<typeof listen>>;
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const subscribe = async (signing?: string) => {
    const res = await api('post', '/subscriptions', {
      url: receiver.url(),
      eventTypes: ['lead.created'],
      ...(signing ? { signing } : {}),
    });
    expect(res.status).toBe(201);
    registerSecret('subscription secret', res.body.secret);
    return res.body as { id: string; secret: string };
  };
  /** Sends and returns what the receiver got from this send. */
  const send = async (id: string, body?: object) => {
    const before = receiver.received.length;
    const res = await api('post', `/subscriptions/${id}/test`, body);
    expect([res.status, res.body.status, res.body.responseStatus]).toEqual([200, 'succeeded', 200]);
    expect(receiver.received).toHaveLength(before + 1);
    return { answer: res.body as { deliveryId: string }, got: receiver.received.at(-1)! };
  };
  /** The body in Standard Webhooks form: the HMAC modes name the type `event`. */
  const asStandard = (b: Body) => (b.event === undefined ? b : { type: b.event, timestamp: b.timestamp, data: b.data });
  const validates = (type: string, body: Body) => {
    const parsed = catalogue.bodySchemaOf(type)!.safeParse(asStandard(body));
    expect([type, parsed.success ? [] : parsed.error.issues]).toEqual([type, []]);
  };
  const exampleObject = (type: string) => catalogue.get(type)!.example.data.object;
  const hmac = (secret: string, r: Received) => createHmac('sha256', secret).update(r.body).digest('hex');

  beforeAll(async () => {
    await receiver.start();
    server = await listen(h);
  });
  afterAll(async () => {
    await server?.close();
    await receiver.close();
  });

  it('sends webhook.test by default, with no body at all', async () => {
    const s = await subscribe();
    const { got } = await send(s.id);
    const body = verifyDelivery(s.secret, got) as Body;
    expect(body.type).toBe('webhook.test');
    expect(body.data.object).toEqual(exampleObject('webhook.test'));
    validates('webhook.test', body);
  });

  it('sends a catalogue type: the body validates against its schema and data.object is the example object', async () => {
    const s = await subscribe();
    for (const type of ['lead.created', 'message.received', 'invoice.paid', 'email.bounced', 'contact.suppressed']) {
      const { got, answer } = await send(s.id, { eventType: type });
      const body = verifyDelivery(s.secret, got) as Body;
      expect(body.type).toBe(type);
      expect(body.data.object).toEqual(exampleObject(type));
      expect(body.data.source).toEqual({ provider: 'hookport', inboundEventId: null, receivedAt: null });
      expect(body.data.previous).toBeUndefined();
      expect(Math.abs(new Date(body.timestamp).getTime() - Date.now())).toBeLessThan(60_000);
      validates(type, body);
      const [row] = await h.rows<{ event_type: string; status: string }>(
        sql`select event_type, status from deliveries where id = ${answer.deliveryId}::uuid`,
      );
      expect(row).toEqual({ event_type: type, status: 'succeeded' });
    }
  });

  it('a test send is not retried (its body lived only in its request): 409 with what to do instead', async () => {
    const s = await subscribe();
    const { answer } = await send(s.id, { eventType: 'lead.created' });
    const retry = await api('post', `/deliveries/${answer.deliveryId}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body.message).toMatch(/send a new test/);
    const listed = await api('get', `/subscriptions/${s.id}/deliveries`);
    expect(listed.body.deliveries.find((d: { id: string }) => d.id === answer.deliveryId)).toEqual(
      expect.objectContaining({ test: true }),
    );
  });

  it('sends the payload as data.object', async () => {
    const s = await subscribe();
    const payload = { id: 'lead-7', customer_name: 'Ana <Test>', nested: { ok: true, n: [1, 2] } };
    const { got } = await send(s.id, { eventType: 'lead.created', payload });
    const body = verifyDelivery(s.secret, got) as Body;
    expect(body).toMatchObject({ type: 'lead.created', data: { object: payload, source: { provider: 'hookport' } } });
    const byDefault = verifyDelivery(s.secret, (await send(s.id, { payload: { hello: 'world' } })).got) as Body;
    expect(byDefault).toMatchObject({ type: 'webhook.test', data: { object: { hello: 'world' } } });
  });

  it("signs in the subscription's mode: an HMAC subscription gets {event, timestamp, data} with X-Webhook-Signature", async () => {
    for (const mode of ['hmac-sha256', 'hmac-sha256-hex']) {
      const s = await subscribe(mode);
      const { got } = await send(s.id, { eventType: 'lead.created' });
      expect(got.headers['x-webhook-signature']).toBe(
        mode === 'hmac-sha256' ? `sha256=${hmac(s.secret, got)}` : hmac(s.secret, got),
      );
      expect(got.headers['x-webhook-event']).toBe('lead.created');
      expect(got.headers['webhook-signature']).toBeUndefined();
      const body = JSON.parse(got.body) as Body;
      expect(Object.keys(body)).toEqual(['event', 'timestamp', 'data']);
      expect(body.event).toBe('lead.created');
      expect(body.data.object).toEqual(exampleObject('lead.created'));
      validates('lead.created', body);
      const withPayload = JSON.parse(
        (await send(s.id, { eventType: 'message.received', payload: { body: 'hi' } })).got.body,
      ) as Body;
      expect(withPayload).toMatchObject({ event: 'message.received', data: { object: { body: 'hi' } } });
    }
  });

  it('refuses a type not in the catalogue (400 unknown_event_type), a pattern, and a payload that is not a JSON object; nothing is sent', async () => {
    const s = await subscribe();
    const before = receiver.received.length;
    const deliveries = async () =>
      (await h.rows(sql`select id from deliveries where subscription_id = ${s.id}::uuid`)).length;
    const count = await deliveries();
    const unknown = await api('post', `/subscriptions/${s.id}/test`, { eventType: 'lead.craeted' });
    expect([unknown.status, unknown.body.error]).toEqual([400, 'unknown_event_type']);
    expect(unknown.body.message).toMatch(
      /^"lead\.craeted" is not an event type Hookport emits; did you mean lead\.created/,
    );
    for (const eventType of ['lead.*', '*', 'nosuch.type']) {
      const res = await api('post', `/subscriptions/${s.id}/test`, { eventType });
      expect([eventType, res.status, res.body.error]).toEqual([eventType, 400, 'unknown_event_type']);
    }
    for (const body of [
      { payload: [1, 2] },
      { payload: 'text' },
      { payload: null },
      { eventType: 'lead.created', other: 1 },
      { eventType: '' },
    ]) {
      const res = await api('post', `/subscriptions/${s.id}/test`, body);
      expect([body, res.status, res.body.error]).toEqual([body, 400, 'invalid_request']);
    }
    const bad = await api('post', `/subscriptions/${s.id}/test`, { payload: [1] });
    expect(bad.body.message).toBe('body: payload: must be a JSON object');
    expect(receiver.received).toHaveLength(before);
    expect(await deliveries()).toBe(count);
    expect(
      (await api('post', '/subscriptions/0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11/test', { eventType: 'lead.created' }))
        .status,
    ).toBe(404);
  });

  it('the CLI sends --type with --payload (or @file); bad JSON and unknown types are usage errors (64)', async () => {
    const s = await subscribe();
    const env = cliEnv({ ADMIN_TOKEN });
    const test = (args: string[]) => hookport(['subscriptions', 'test', s.id, ...args, '--url', server.url], env);
    const before = receiver.received.length;
    const typed = await test(['--type', 'lead.created']);
    expect(typed.code).toBe(0);
    expect(typed.out).toMatch(/^event type: +lead\.created\nstatus: +succeeded\nresponse status: 200\n/);
    expect((verifyDelivery(s.secret, receiver.received.at(-1)!) as Body).data.object).toEqual(
      exampleObject('lead.created'),
    );
    const withPayload = await test(['--type', 'message.received', '--payload', '{"body":"from the CLI"}']);
    expect(withPayload.code).toBe(0);
    expect(verifyDelivery(s.secret, receiver.received.at(-1)!)).toMatchObject({
      type: 'message.received',
      data: { object: { body: 'from the CLI' } },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'hookport-payload-')), 'payload.json');
    writeFileSync(file, JSON.stringify({ customer_name: 'From a file' }));
    expect((await test(['--type', 'lead.created', '--payload', `@${file}`])).code).toBe(0);
    expect(verifyDelivery(s.secret, receiver.received.at(-1)!)).toMatchObject({
      type: 'lead.created',
      data: { object: { customer_name: 'From a file' } },
    });
    expect(receiver.received).toHaveLength(before + 3);

    for (const [payload, message] of [
      [
        '{"body": ',
        /^hookport: --payload is not valid JSON( \(at [^)]+\))?: give a JSON object in single quotes, e\.g\. --payload '\{/,
      ],
      ['[1,2]', /^hookport: --payload must be a JSON object, not an array: /],
      ['"text"', /^hookport: --payload must be a JSON object, not a string: /],
      ['@/nonexistent/payload.json', /^hookport: --payload @\/nonexistent\/payload\.json: cannot read the file/],
    ] as const) {
      const run = await test(['--payload', payload]);
      expect([payload, run.code, run.out]).toEqual([payload, 64, '']);
      expect(run.err).toMatch(message);
    }
    const unknown = await test(['--type', 'nosuch.type']);
    expect(unknown.code).toBe(64);
    expect(unknown.err).toContain('unknown_event_type: "nosuch.type" is not an event type Hookport emits');
    expect((await test(['--type', ' '])).code).toBe(64);
    expect(receiver.received).toHaveLength(before + 3);
  });
});

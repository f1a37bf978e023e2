import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { databaseKinds } from '../helpers/harness';
import { ADMIN_TOKEN } from '../helpers/console';
import { suiteHarness } from '../helpers/suite';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { servedBodySchemas, type BodySchemas } from '../helpers/body-schemas';
import { waitFor } from '../helpers/wait';

/**
 * Every sample `hookport send` has, as [provider, event]: a new sample is covered without a line
 * here. A provider that emits no events (its requests are answered, not recorded) has none to check.
 */
const SAMPLES = Object.values(providers)
  .filter((p) => p.eventTypes.length > 0)
  .flatMap((p) => Object.keys(p.samples ?? {}).map((event) => [p.name, event] as const));

type Body = {
  type: string;
  timestamp: string;
  data: { object: Record<string, unknown>; previous?: Record<string, unknown>; source: Record<string, unknown> };
};

/** The leaf strings of what the provider sent (form fields or JSON), to find the object's values among. */
function sentStrings(raw: string, contentType: string): Set<string> {
  const out = new Set<string>();
  if (contentType.includes('x-www-form-urlencoded')) {
    for (const [, v] of new URLSearchParams(raw)) out.add(v);
    return out;
  }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (typeof v === 'number') out.add(String(v));
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(raw));
  return out;
}

describe.each(databaseKinds())('every event carries its record, valid against the served catalogue (%s)', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' });
  const receiver = new Receiver();
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  let schemas: BodySchemas;
  let secret: string;

  beforeAll(async () => {
    await receiver.start();
    const catalogue = await h.http().get('/admin/api/event-types').set(auth);
    expect(catalogue.status).toBe(200);
    schemas = servedBodySchemas(catalogue.body.eventTypes);
    const created = await h
      .http()
      .post('/admin/api/subscriptions')
      .set(auth)
      .send({ url: receiver.url(), eventTypes: ['*'] });
    expect(created.status).toBe(201);
    secret = created.body.secret as string;
    h.runtime.deliveryWorker.start();
  });
  afterAll(() => receiver.close());

  it.each(SAMPLES)(
    '%s %s: delivered with a non-empty data.object that matches what was sent',
    async (provider, event) => {
      const sample = providers[provider as keyof typeof providers].samples![event]!({
        config: h.config,
        baseUrl: h.config.publicBaseUrl!,
      });
      const before = receiver.received.length;
      const res = await h.http().post(sample.path).set(sample.headers).send(sample.body);
      expect(res.status).toBe(200);
      await h.drain();
      const inbox = await h.rows<{ id: string }>(sql`select id from webhook_events order by received_at desc limit 1`);
      const emitted = await h.rows<{ id: string }>(
        sql`select id from canonical_events where webhook_event_id = ${inbox[0]!.id}::uuid`,
      );
      expect(emitted.length).toBeGreaterThan(0);
      h.runtime.deliveryWorker.notify();
      await waitFor(
        () => Promise.resolve(receiver.received.length),
        (n) => n >= before + emitted.length,
        10_000,
      );
      const sent = sentStrings(sample.body, sample.headers['content-type'] ?? '');
      for (const got of receiver.received.slice(before)) {
        const body = verifyDelivery(secret, got) as Body;
        expect(schemas.problems(body.type, body)).toEqual([]);
        expect(body.data.source).toEqual(expect.objectContaining({ provider, inboundEventId: inbox[0]!.id }));
        const object = body.data.object;
        expect(Object.keys(object).length).toBeGreaterThan(0);
        // The record is this request's: its own id, else some of its text, is what the provider sent.
        if (typeof object.external_id === 'string' && !object.external_id.includes(':'))
          expect(sent).toContain(object.external_id);
        const texts = Object.values(object).filter(
          (v): v is string => typeof v === 'string' && v.length >= 3 && !/^\d{4}-\d\d-\d\dT/.test(v),
        );
        expect({ type: body.type, sentValues: texts.filter((v) => sent.has(v)).length > 0 }).toEqual({
          type: body.type,
          sentValues: true,
        });
      }
    },
  );
});

import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { ADMIN_TOKEN } from '../helpers/console';
import { suiteHarness } from '../helpers/suite';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { waitFor } from '../helpers/wait';
import { postTwilio, statusCallback, twilioSid } from '../helpers/webhooks';

type Body = {
  type: string;
  data: { object: Record<string, unknown>; previous?: Record<string, unknown>; source: Record<string, unknown> };
};

describe.each(databaseKinds())('event bodies are snapshots, written once (%s)', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_RETRY_SCHEDULE: '100ms',
    DELIVERY_SWEEP_MS: '50',
  });
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const bodiesOf = async (sid: string) =>
    (
      await h.rows<{ body: Body | string }>(
        sql`select c.body from canonical_events c join webhook_events w on w.id = c.webhook_event_id
          where c.external_id = ${sid} order by w.received_at`,
      )
    ).map((r) => (typeof r.body === 'string' ? (JSON.parse(r.body) as Body) : r.body));
  const status = async (sid: string, s: string) => {
    expect((await postTwilio(h, statusCallback(sid, s))).status).toBe(200);
    await h.drain();
  };

  it('data.previous holds exactly what a status change changed; a first sight has none', async () => {
    const sid = twilioSid();
    await status(sid, 'sent');
    await status(sid, 'delivered');
    const [first, second] = await bodiesOf(sid);
    expect(first!.data.object).toEqual(
      expect.objectContaining({ external_id: sid, status: 'sent', direction: 'outbound' }),
    );
    expect(first!.data).not.toHaveProperty('previous');
    expect(second!.data.object).toEqual(expect.objectContaining({ external_id: sid, status: 'delivered' }));
    expect(second!.data.previous).toEqual({ status: 'sent' });
    expect(second!.data.object.updated_at).not.toEqual(first!.data.object.updated_at);
  });

  it('a later change to the record leaves an earlier body as it was; a late, older status changes nothing', async () => {
    const sid = twilioSid();
    await status(sid, 'sent');
    const [before] = await bodiesOf(sid);
    await status(sid, 'delivered');
    await h.rows(sql`update messages set body = 'edited by an app' where external_id = ${sid}`);
    // A late `queued` (Twilio does not promise order) loses to the guard: its body shows the row as it stands.
    await status(sid, 'queued');
    const [first, , late] = await bodiesOf(sid);
    expect(first).toEqual(before);
    expect(late!.data.object).toEqual(expect.objectContaining({ status: 'delivered', body: 'edited by an app' }));
    expect(late!.data.previous).toEqual({});
  });

  it('every attempt of a delivery sends the same bytes under the same webhook-id', async () => {
    const receiver = new Receiver((n) => (n === 0 ? { status: 500 } : { status: 200 }));
    await receiver.start();
    try {
      const created = await h
        .http()
        .post('/admin/api/subscriptions')
        .set(auth)
        .send({ url: receiver.url(), eventTypes: ['message.status_changed'] });
      expect(created.status).toBe(201);
      h.runtime.deliveryWorker.start();
      const sid = twilioSid();
      await status(sid, 'delivered');
      h.runtime.deliveryWorker.notify();
      await waitFor(
        () => Promise.resolve(receiver.received.length),
        (n) => n >= 2,
        10_000,
      );
      const [a, b] = receiver.received;
      expect(b!.body).toBe(a!.body);
      expect(b!.headers['webhook-id']).toBe(a!.headers['webhook-id']);
      const body = verifyDelivery(created.body.secret as string, b!) as Body;
      expect(body.data.object.external_id).toBe(sid);
      const [stored] = await h.rows<{ body: string }>(
        sql`select body::text as body from canonical_events where id = ${a!.headers['webhook-id']}::uuid`,
      );
      expect(a!.body).toBe(stored!.body);
    } finally {
      await receiver.close();
    }
  });
});

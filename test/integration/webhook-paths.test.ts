import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { checkRegistry, type AnyProvider } from '../../src/contract/provider';
import { queryRows } from '../../src/db/rows';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, resendDelivery } from '../helpers/webhooks';

/**
 * A provider may take its webhooks at paths of its own (an app platform calls the URLs it was set
 * up with), handled as /webhooks/<name> is, and answer from the tables once a webhook is stored.
 */
const probe: AnyProvider = {
  ...providers.resend,
  webhookPaths: ['/probe/events'],
  async respond({ ack, db, request }) {
    const [row] = await queryRows<{ provider: string; request_path: string }>(
      db,
      sql`select provider, request_path from webhook_events where id = ${ack.id}::uuid`,
    );
    return {
      contentType: 'application/json',
      body: JSON.stringify({ stored: row, duplicate: ack.duplicate, bytes: request.body.length }),
    };
  },
};

describe.each(databaseKinds())('webhook paths of a provider’s own on %s', (kind) => {
  const h = suiteHarness(kind, {}, { providers: { ...providers, resend: probe } });

  it('verifies, stores and answers through the provider’s respond, which reads the tables', async () => {
    const delivery = resendDelivery(emailEvent('email.delivered', emailId()));
    const first = await h.http().post('/probe/events').set(delivery.headers).send(delivery.body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      stored: { provider: 'resend', request_path: '/probe/events' },
      duplicate: false,
      bytes: Buffer.byteLength(delivery.body),
    });
    const again = await h.http().post('/probe/events').set(delivery.headers).send(delivery.body);
    expect(again.body).toMatchObject({ duplicate: true });
    // The usual route still answers for it too.
    const other = resendDelivery(emailEvent('email.delivered', emailId()));
    expect((await h.http().post('/webhooks/resend').set(other.headers).send(other.body)).body).toMatchObject({
      stored: { provider: 'resend', request_path: '/webhooks/resend' },
    });
  });

  it('refuses a forged request there as on /webhooks/<name>, storing nothing', async () => {
    const delivery = resendDelivery(emailEvent('email.delivered', emailId()));
    const forged = await h
      .http()
      .post('/probe/events')
      .set({ ...delivery.headers, 'svix-signature': 'v1,' + Buffer.alloc(32).toString('base64') })
      .send(delivery.body);
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual({ error: 'invalid_signature', message: expect.any(String) });
  });
});

describe('webhook paths in the registry', () => {
  it.each(['/admin/events', '/webhooks/x', '/probe/:id', 'probe', '/probe/'])('refuses %s', (path) => {
    expect(() => checkRegistry({ ...providers, resend: { ...probe, webhookPaths: [path] } })).toThrow(/webhook path/);
  });

  it('refuses a path two providers claim', () => {
    const twice = { ...providers, resend: probe, twilio: { ...providers.twilio, webhookPaths: ['/probe/events'] } };
    expect(() => checkRegistry(twice)).toThrow(/taken/);
  });
});

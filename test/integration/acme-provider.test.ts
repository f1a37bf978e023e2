import { sql } from 'drizzle-orm';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { providers } from '../../providers';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { ACME_SIGNATURE, acmeProvider, signAcme } from '../providers/acme';
import { acmeSettings } from '../providers/acme/settings';
import { widgets } from '../providers/acme/tables';

/** The one line: the registry with the fifth provider in it. */
const registry = { ...providers, acme: acmeProvider };

const SECRET = acmeSettings.exampleEnv.ACME_WEBHOOK_SECRET!;

const widgetEvent = (id: string, revision: number, name: string) =>
  JSON.stringify({
    id: `evt_${id}_${revision}`,
    type: 'widget.updated',
    widget: { id, name, color: 'teal', revision },
  });

/**
 * Issue 8: a provider is one folder (test/providers/acme: settings, verifier, table, change kind,
 * applier) and one registry line. Its table is created by drizzle-kit from its declaration, as
 * `npm run db:generate` does for providers/<name>/tables.ts.
 */
describe.each(databaseKinds())('a fifth provider, registered with one line, on %s', (kind) => {
  const h = suiteHarness(kind, {}, { providers: registry });

  beforeAll(async () => {
    const before = generateDrizzleJson({});
    for (const statement of await generateMigration(before, generateDrizzleJson({ widgets }, before.id))) {
      await h.runtime.database.db.execute(sql.raw(statement));
    }
  });

  it('is configured from its own settings (the harness took them from the registry), beside the others', async () => {
    expect(acmeSettings.of(h.config).secrets).toEqual([SECRET]);
    expect(h.config.secrets).toEqual(expect.arrayContaining([SECRET, TEST_SECRETS.twilioToken]));
    expect((await h.http().post('/webhooks/twilio').type('form').send('MessageSid=SM1')).status).toBe(401);
  });

  it('verifies, stores, processes, writes its own row and a canonical event', async () => {
    const body = widgetEvent('w1', 1, 'Sprocket');
    const res = await h
      .http()
      .post('/webhooks/acme')
      .set(ACME_SIGNATURE, signAcme(SECRET, body))
      .type('json')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, duplicate: false });
    expect(await h.drain()).toEqual(['processed']);

    expect(await h.rows(sql`select provider, external_id, name, color, revision from acme_widgets`)).toEqual([
      { provider: 'acme', external_id: 'w1', name: 'Sprocket', color: 'teal', revision: 1 },
    ]);
    expect(await h.rows(sql`select provider, type, record_kind, external_id from canonical_events`)).toEqual([
      { provider: 'acme', type: 'widget.updated', record_kind: 'acme_widget', external_id: 'w1' },
    ]);
  });

  it('refuses a forged request with 401 and stores nothing', async () => {
    const body = widgetEvent('w2', 1, 'Forged');
    const res = await h
      .http()
      .post('/webhooks/acme')
      .set(ACME_SIGNATURE, signAcme('not-the-secret', body))
      .type('json')
      .send(body);
    expect(res.status).toBe(401);
    expect(
      await h.rows(sql`select id from webhook_events where provider = 'acme' and dedupe_key = 'evt_w2_1'`),
    ).toEqual([]);
  });

  it('answers a retry as a duplicate and applies it once', async () => {
    const body = widgetEvent('w3', 1, 'Gear');
    const send = () =>
      h.http().post('/webhooks/acme').set(ACME_SIGNATURE, signAcme(SECRET, body)).type('json').send(body);
    expect((await send()).body).toMatchObject({ duplicate: false });
    expect((await send()).body).toMatchObject({ duplicate: true });
    await h.drain();
    expect(await h.rows(sql`select count(*)::int as n from acme_widgets where external_id = 'w3'`)).toEqual([{ n: 1 }]);
  });
});

import { providers } from '../../providers';
import { jobberAccountView } from '../../providers/jobber/records/views';
import { parseTopic } from '../../providers/jobber/webhook/topics';
import { JOBBER_TOPICS } from '../../providers/jobber/webhook/webhook-topics';
import { catalogueOf } from '../../src/events/catalogue';
import { acmeProvider } from '../providers/acme';
import { BodySchemas } from '../helpers/body-schemas';

const catalogue = catalogueOf(providers);
const schemas = new BodySchemas(new Map(catalogue.entries.map((e) => [e.type, e.schema])));

type JsonSchema = { properties?: Record<string, JsonSchema> };
const objectKeys = (schema: Record<string, unknown>): string[] =>
  Object.keys((schema as JsonSchema).properties?.data?.properties?.object?.properties ?? {});

const TOKEN_COLUMNS = ['access_token', 'refresh_token', 'token_expires_at'];

describe("the providers' event types", () => {
  it.each(catalogue.entries.map((e) => [e.type, e] as const))(
    '%s: its example validates against its schema',
    (type, entry) => {
      expect(schemas.problems(type, entry.example)).toEqual([]);
      expect(entry.description).toMatch(/^[A-Z`].{20,}\.$/s);
      expect(Object.keys(entry.example.data.object).length).toBeGreaterThan(0);
    },
  );

  it.each(Object.entries(providers))('%s declares every type with a description, once', (_name, provider) => {
    const types = provider.eventTypes.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(catalogue.get(type)).toBeDefined();
  });

  it.each(JOBBER_TOPICS)('Jobber topic %s maps to a catalogue type of the right record kind', (topic) => {
    const { canonicalType, family, subject } = parseTopic(topic);
    const entry = catalogue.get(canonicalType);
    expect(entry).toBeDefined();
    expect(entry!.recordKind).toBe(family ?? (subject === 'APP' ? 'jobber_account' : null));
    expect(entry!.providers).toEqual(['jobber']);
  });

  it('maps every Jobber topic to a type of its own', () => {
    const types = JOBBER_TOPICS.map((t) => parseTopic(t).canonicalType);
    expect(new Set(types).size).toBe(types.length);
  });

  it("never shows a jobber_account's tokens, in a schema or in an object", () => {
    const accountTypes = catalogue.entries.filter((e) => e.recordKind === 'jobber_account');
    expect(accountTypes.map((e) => e.type).sort()).toEqual(['jobber.app.connected', 'jobber.app.disconnected']);
    for (const entry of accountTypes) {
      expect(objectKeys(entry.schema)).toEqual(expect.arrayContaining(['account_id', 'connection_state']));
      for (const column of TOKEN_COLUMNS) expect(objectKeys(entry.schema)).not.toContain(column);
      expect(JSON.stringify(entry.example)).not.toMatch(/token/i);
    }
    const row = {
      account_id: 'MQ==',
      name: null,
      connection_state: 'connected',
      state_at: '2026-05-01T09:00:00Z',
      access_token: 'at-secret',
      refresh_token: 'rt-secret',
      token_expires_at: '2026-05-01T10:00:00Z',
      created_at: '2026-05-01T09:00:00Z',
      updated_at: '2026-05-01T09:00:00Z',
    };
    expect(JSON.stringify(jobberAccountView.object(row))).not.toMatch(/secret|token/);
    expect(
      JSON.stringify(
        jobberAccountView.fromSelect({ accountId: 'MQ==', accessToken: 'at-secret', refreshToken: 'rt-secret' }),
      ),
    ).not.toMatch(/secret/);
  });

  it("hides Hookport's invoice.paid bookkeeping and carries the paying client's name", () => {
    const paid = catalogue.get('invoice.paid')!;
    expect(objectKeys(paid.schema)).not.toContain('paid_notified_at');
    expect(paid.example.data).toMatchObject({ clientName: 'Dana Whitfield', invoiceNumber: '2087' });
  });

  it('takes a provider that lives outside providers/ (Acme) with no change to src/', () => {
    const withAcme = catalogueOf({ ...providers, acme: acmeProvider });
    const widget = withAcme.get('widget.updated')!;
    expect(widget).toMatchObject({ provider: 'acme', recordKind: 'acme_widget' });
    expect(new BodySchemas(new Map([[widget.type, widget.schema]])).problems(widget.type, widget.example)).toEqual([]);
  });
});

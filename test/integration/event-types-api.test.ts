import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { suiteHarness } from '../helpers/suite';

/**
 * GET /admin/api/event-types[/:type]: the catalogue as the API serves it. The catalogue reads no
 * table, so one database (the embedded one) is enough.
 */

const ADMIN_TOKEN = 'event-types-admin-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface EventType {
  type: string;
  description: string;
  provider: string;
  recordKind: string | null;
  schema: Record<string, unknown>;
  example: {
    type: string;
    timestamp: string;
    data: { object: Record<string, unknown>; source: Record<string, unknown> } & Record<string, unknown>;
  };
}

describe('the event catalogue through the admin API', () => {
  const h = suiteHarness('pglite', { ADMIN_TOKEN });
  const get = (path: string) => h.http().get(`/admin/api${path}`).set(auth);
  const catalogue = catalogueOf(providers);
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));

  it('lists every type, sorted, with what the contract names, exactly as the catalogue has it', async () => {
    const res = await get('/event-types');
    expect(res.status).toBe(200);
    const listed = res.body.eventTypes as EventType[];
    const types = listed.map((e) => e.type);
    expect(types).toEqual([...types].sort());
    expect(types).toEqual(catalogue.entries.map((e) => e.type));
    expect(new Set(types).size).toBe(types.length);
    expect(listed).toEqual(JSON.parse(JSON.stringify(catalogue.entries)));
    for (const e of listed) {
      expect(e).toEqual(
        expect.objectContaining({
          type: expect.stringMatching(/^[a-z0-9_]+(\.[a-z0-9_*-]+)+$/),
          description: expect.stringMatching(/\S/),
          provider: expect.any(String),
          recordKind: e.recordKind === null ? null : expect.any(String),
          schema: expect.objectContaining({ type: 'object' }),
        }),
      );
      // A family's example is one of its types (source.* → source.received).
      if (e.type.endsWith('.*')) expect(e.example.type.startsWith(e.type.slice(0, -1))).toBe(true);
      else expect(e.example.type).toBe(e.type);
    }
  });

  it("gives every type's example as a whole body that validates against its schema, and a wrong body that does not", async () => {
    const listed = (await get('/event-types')).body.eventTypes as EventType[];
    expect(listed.length).toBeGreaterThan(0);
    for (const e of listed) {
      const validate = ajv.compile(e.schema);
      expect({ type: e.type, valid: validate(e.example), errors: validate.errors ?? null }).toEqual({
        type: e.type,
        valid: true,
        errors: null,
      });
      expect(validate({ ...e.example, type: `${e.type}.not` })).toBe(false);
      expect(validate({ ...e.example, data: { ...e.example.data, source: undefined } })).toBe(false);
      expect(validate({ type: e.type, timestamp: 'yesterday', data: e.example.data })).toBe(false);
    }
  });

  it('answers each type on its own, and 404 not_found with the nearest names for one that is not in the catalogue', async () => {
    for (const entry of catalogue.entries) {
      const res = await get(`/event-types/${encodeURIComponent(entry.type)}`);
      expect({ type: entry.type, status: res.status }).toEqual({ type: entry.type, status: 200 });
      expect(res.body).toEqual(JSON.parse(JSON.stringify(entry)));
    }
    const missing = await get('/event-types/webhook.tset');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'not_found', message: expect.stringContaining('did you mean webhook.test') });
    for (const odd of ['nothing', 'webhook.*', '<script>', 'a%2Fb']) {
      const res = await get(`/event-types/${odd === 'a%2Fb' ? odd : encodeURIComponent(odd)}`);
      expect({ odd, status: res.status, error: res.body.error }).toEqual({ odd, status: 404, error: 'not_found' });
    }
  });

  it('webhook.test: Hookport’s own, no record kind, its example object the one a test send carries', async () => {
    const res = await get('/event-types/webhook.test');
    expect(res.status).toBe(200);
    const e = res.body as EventType;
    expect(e).toEqual(expect.objectContaining({ type: 'webhook.test', provider: 'hookport', recordKind: null }));
    expect(e.description).toMatch(/test/i);
    expect(e.example).toEqual({
      type: 'webhook.test',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      data: { object: expect.any(Object), source: expect.objectContaining({ provider: 'hookport' }) },
    });
    expect(Object.keys(e.example.data.object).length).toBeGreaterThan(0);
  });

  it('contact.suppressed: a suppression record with its channel, address and reason beside the object', async () => {
    const res = await get('/event-types/contact.suppressed');
    expect(res.status).toBe(200);
    const e = res.body as EventType;
    expect(e).toEqual(expect.objectContaining({ type: 'contact.suppressed', recordKind: 'suppression' }));
    const data = (e.schema.properties as { data: { properties: Record<string, unknown>; required: string[] } }).data;
    expect(Object.keys(data.properties)).toEqual(
      expect.arrayContaining(['object', 'previous', 'source', 'channel', 'address', 'reason']),
    );
    expect(data.required).toEqual(expect.arrayContaining(['object', 'source', 'channel', 'address']));
    expect(e.example.data).toEqual(
      expect.objectContaining({ channel: expect.stringMatching(/^(email|sms)$/), address: expect.any(String) }),
    );
    const validate = ajv.compile(e.schema);
    expect(validate(e.example)).toBe(true);
    expect(validate({ ...e.example, data: { ...e.example.data, channel: 'fax' } })).toBe(false);
  });

  it('needs the admin token', async () => {
    expect((await h.http().get('/admin/api/event-types')).status).toBe(401);
    expect((await h.http().get('/admin/api/event-types/webhook.test')).status).toBe(401);
  });
});

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';

/**
 * The admin API's OpenAPI 3.1 document, fetched from a running Hookport exactly as it serves it
 * (paths from the route declarations, `webhooks` from the event catalogue), linted with Redocly's
 * `minimal` ruleset: no errors, and no warnings either.
 */

// @redocly/openapi-core is an ES module; the tests are CommonJS (jest runs with --experimental-vm-modules).
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}
interface Redocly {
  createConfig(config: Record<string, unknown>): Promise<unknown>;
  lintFromString(opts: { source: string; absoluteRef?: string; config: unknown }): Promise<Problem[]>;
}

const ADMIN_TOKEN = 'openapi-lint-admin-token-0123456789abcdef';

describe('the OpenAPI document as served', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('pglite', { ADMIN_TOKEN });
  }, OPEN_TIMEOUT_MS);
  afterAll(() => h?.close());

  it("lints clean with Redocly's minimal ruleset", async () => {
    const res = await h.http().get('/admin/api/openapi.json');
    expect(res.status).toBe(200);
    const { createConfig, lintFromString } = await importEsm<Redocly>('@redocly/openapi-core');
    const config = await createConfig({ extends: ['minimal'] });
    const problems = await lintFromString({ source: res.text, absoluteRef: 'openapi.json', config });
    const lines = problems.map(
      (p) => `${p.severity} ${p.ruleId} at ${p.location.map((l) => l.pointer ?? '').join(', ')}: ${p.message}`,
    );
    const warnings = lines.filter((l) => l.startsWith('warn'));
    if (warnings.length > 0) console.log(`Redocly warnings (${warnings.length}):\n${warnings.join('\n')}`);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('lists every catalogue type under webhooks: a POST whose request body is the type’s schema, with its description and example', async () => {
    type Operation = {
      description: string;
      tags: string[];
      security: unknown[];
      requestBody: {
        description: string;
        required: boolean;
        content: Record<string, { schema: Record<string, unknown>; example: unknown }>;
      };
    };
    const doc = (await h.http().get('/admin/api/openapi.json')).body as {
      openapi: string;
      webhooks: Record<string, { post: Operation }>;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const { entries } = catalogueOf(providers);
    expect(Object.keys(doc.webhooks)).toEqual(entries.map((e) => e.type));
    // The document as one schema resource, so a body schema's #/components/schemas/… refs resolve.
    const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
    ajv.addSchema({ $id: 'https://hookport.invalid/openapi.json', components: doc.components });
    const anyRef = (s: unknown) => JSON.stringify(s).replace(/"#\/(\$defs|components\/schemas)\/[^"]+"/g, '"#ref"');
    for (const e of entries) {
      const post = doc.webhooks[e.type]!.post;
      expect(post.tags).toEqual([e.type.split('.')[0]]);
      expect(post.security).toEqual([]);
      expect(post.description).toContain(e.description);
      expect(post.requestBody.description).toBe(e.description);
      expect(post.requestBody.required).toBe(true);
      const media = post.requestBody.content['application/json']!;
      expect(media.example).toEqual(e.example);
      // The type's schema, its $defs (the JSON value of a jsonb column) moved under components.
      const { $defs, ...rest } = e.schema;
      if ($defs === undefined) expect(media.schema).toEqual(e.schema);
      else expect(anyRef(media.schema)).toEqual(anyRef(rest));
      const validate = ajv.compile({
        $id: `https://hookport.invalid/${encodeURIComponent(e.type)}.json`,
        ...JSON.parse(JSON.stringify(media.schema).replace(/"#\/components\//g, '"openapi.json#/components/')),
      });
      expect({ type: e.type, valid: validate(e.example) }).toEqual({ type: e.type, valid: true });
      expect(validate({ ...e.example, type: 'other.type' })).toBe(false);
    }
    for (const path of ['/event-types', '/event-types/{type}', '/canonical-events', '/canonical-events/{id}'])
      expect(doc.paths[path]?.get).toBeDefined();
  });
});

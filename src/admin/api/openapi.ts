import { z } from 'zod';
import { HOOKPORT, type CatalogueEntry } from '../../events/catalogue';
import type { AdminRoute } from '../../contract/admin-route';
import { errorAnswerSchema } from './schemas';

type Json = Record<string, unknown>;

/** What the `webhooks` section is written from: the catalogue's entries. */
export type WebhookType = Pick<
  CatalogueEntry,
  'type' | 'description' | 'provider' | 'recordKind' | 'schema' | 'example'
>;

/** `message.status_changed` → `messageStatusChangedEvent`: an operationId unlike any route's. */
const webhookOperationId = (type: string) =>
  `${type.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toLowerCase())}Event`;

/** The headers of a Standard Webhooks delivery (the default signing mode). */
const DELIVERY_HEADERS: Record<string, Json> = {
  webhookId: {
    name: 'webhook-id',
    in: 'header',
    required: false,
    description:
      'The canonical event id: the same on every retry and replay, so a receiver can dedupe on it (X-Webhook-Id in the HMAC modes).',
    schema: { type: 'string', format: 'uuid' },
  },
  webhookTimestamp: {
    name: 'webhook-timestamp',
    in: 'header',
    required: false,
    description: 'Unix seconds of this attempt (X-Webhook-Timestamp in the HMAC modes).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  webhookSignature: {
    name: 'webhook-signature',
    in: 'header',
    required: false,
    description:
      'v1,<base64 HMAC-SHA256> per Standard Webhooks over `<webhook-id>.<webhook-timestamp>.<body>`; several, space-separated, during a secret rotation. The HMAC modes send X-Webhook-Signature instead; subscriptions that post chat messages are not signed.',
    schema: { type: 'string' },
  },
};

const DEF_REF = /"#\/\$defs\/([^"]+)"/g;

/**
 * A type's schema as it can stand inside the document: its `$defs` (zod writes the recursive JSON
 * value of a jsonb column as `#/$defs/__schema0`) move to `components.schemas`, where a `$ref`
 * starting with `#` resolves. Definitions that are the same apart from their own name (every
 * type's JSON value) become one component.
 */
function hoistDefinitions(type: string, schema: Json, components: Json, shared: Map<string, string>): Json {
  const { $defs, ...rest } = schema as Json & { $defs?: Record<string, Json> };
  if (!$defs) return schema;
  const names = new Map<string, string>();
  const added: [string, Json][] = [];
  for (const [name, definition] of Object.entries($defs)) {
    const self = `"#/$defs/${name}"`;
    const text = JSON.stringify(definition);
    const selfContained = !text.replaceAll(self, '').includes('"#/$defs/');
    const key = selfContained ? text.replaceAll(self, '"#"') : `${type}\u0000${name}\u0000${text}`;
    let component = shared.get(key);
    if (!component) {
      const wanted = name.startsWith('__schema') ? (key === JSON_VALUE_KEY ? 'JsonValue' : 'EventSchemaPart') : name;
      component = wanted;
      for (let n = 2; component in components || [...shared.values()].includes(component); n++)
        component = `${wanted}${n}`;
      shared.set(key, component);
      added.push([component, definition]);
    }
    names.set(name, component);
  }
  const rewrite = (value: Json): Json =>
    JSON.parse(
      JSON.stringify(value).replace(DEF_REF, (_m, n: string) => `"#/components/schemas/${names.get(n) ?? n}"`),
    ) as Json;
  for (const [component, definition] of added) components[component] = rewrite(definition);
  return rewrite(rest);
}

/**
 * What zod writes for `z.json()` (a string, number, boolean, null, array or object of them), its own name replaced by
 * `#`.
 */
const JSON_VALUE_KEY = JSON.stringify({
  anyOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'null' },
    { type: 'array', items: { $ref: '#' } },
    { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { $ref: '#' } },
  ],
});

/**
 * OpenAPI 3.1 `webhooks`: each type Hookport delivers, as the POST it makes to a subscriber, its
 * request body the type's JSON Schema (with the catalogue's example), tagged by the type's first word.
 */
function webhooksSection(types: readonly WebhookType[], components: Json): { webhooks: Json; tags: Json[] } {
  const webhooks: Json = {};
  const shared = new Map<string, string>();
  const groups = new Set<string>();
  const ids = new Set<string>();
  for (const t of types) {
    const group = t.type.split('.')[0]!;
    groups.add(group);
    let operationId = webhookOperationId(t.type);
    for (let n = 2; ids.has(operationId); n++) operationId = `${webhookOperationId(t.type)}${n}`;
    ids.add(operationId);
    const emitter = t.provider === HOOKPORT ? 'Hookport' : t.provider;
    webhooks[t.type] = {
      post: {
        operationId,
        summary: t.type,
        description: `${t.description}\n\nEmitted by ${emitter}${t.recordKind ? `; \`data.object\` is a ${t.recordKind} record` : ''}.`,
        tags: [group],
        // Hookport makes this request; the admin token plays no part in it.
        security: [],
        parameters: Object.keys(DELIVERY_HEADERS).map((name) => ({ $ref: `#/components/parameters/${name}` })),
        requestBody: {
          description: t.description,
          required: true,
          content: {
            'application/json': { schema: hoistDefinitions(t.type, t.schema, components, shared), example: t.example },
          },
        },
        responses: {
          '2XX': { description: 'Delivered: any 2xx answer within DELIVERY_TIMEOUT_MS.' },
          '410': { description: 'Gone: the subscription is disabled at once.' },
          default: {
            description:
              'Any other answer, or none in time, is retried on DELIVERY_RETRY_SCHEDULE, then the delivery is dead.',
          },
        },
      },
    };
  }
  const tags = [...groups]
    .sort()
    .map((name) => ({ name, description: `Event types whose name starts with \`${name}.\`` }));
  return { webhooks, tags };
}

/**
 * A record keyed by an enum (`z.record(z.enum([...]), …)`) is written by zod as `propertyNames` and
 * `required` without `properties`; linters read that as required properties left undefined. The
 * same object, with each key spelled out under `properties`.
 */
function enumKeyedRecords(value: Json): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)])) as Json;
    const keys = (out.propertyNames as { enum?: unknown[] } | undefined)?.enum;
    if (
      out.type === 'object' &&
      Array.isArray(keys) &&
      out.properties === undefined &&
      typeof out.additionalProperties === 'object'
    ) {
      out.properties = Object.fromEntries(keys.map((k) => [String(k), out.additionalProperties]));
    }
    return out;
  };
  return walk(value) as Json;
}

/**
 * The OpenAPI 3.1 document of the admin API, written from the routes' own zod schemas (OpenAPI 3.1
 * schemas are JSON Schema 2020-12, which zod emits). Named schemas (`.meta({ id })`) become
 * components; requests are described as accepted (input), answers as sent (output).
 */
export function openApiDocument(
  routes: readonly AdminRoute[],
  version: string,
  webhookTypes: readonly WebhookType[] = [],
): Json {
  const components: Record<string, unknown> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json;
    const {
      $schema: _ignored,
      $defs,
      ...rest
    } = JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Json))
      components[name] = enumKeyedRecords(definition as Json);
    return enumKeyedRecords(rest);
  };
  const parametersOf = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    const json = convert(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
      schema: property,
    }));
  };
  const errorSchema = convert(errorAnswerSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(r.responses)) {
      responses[status] = {
        description: answer.description,
        content: { 'application/json': { schema: convert(answer.schema, 'output') } },
      };
    }
    for (const [status, description] of [
      ['400', 'invalid_request: a bad filter, parameter or body'],
      ['401', 'unauthorized: no or wrong bearer token'],
      [
        '503',
        'admin_not_configured (ADMIN_TOKEN unset), database_unavailable, or secret_unreadable (a stored secret HOOKPORT_ENCRYPTION_KEY does not open)',
      ],
    ] as const) {
      responses[status] ??= { description, content: { 'application/json': { schema: errorSchema } } };
    }
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      operationId: `${r.method}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      // A body the route accepts empty (`{}`, what the router reads when none is sent) is optional.
      ...(r.body
        ? {
            requestBody: {
              required: !r.body.safeParse({}).success,
              content: { 'application/json': { schema: convert(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  const { webhooks, tags } = webhooksSection(webhookTypes, components);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookport admin API',
      version,
      description:
        "Inspect and replay the webhooks Hookport received, and manage the subscriptions its canonical events are delivered to. Every route but this document needs `Authorization: Bearer <ADMIN_TOKEN>`. `webhooks` lists every event type Hookport delivers to subscribers, its body's JSON Schema and an example.",
    },
    servers: [{ url: '/admin/api' }],
    security: [{ adminToken: [] }],
    ...(tags.length > 0 ? { tags } : {}),
    paths,
    webhooks,
    components: {
      schemas: components,
      ...(webhookTypes.length > 0 ? { parameters: DELIVERY_HEADERS } : {}),
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
    },
  };
}

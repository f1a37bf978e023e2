import { z } from 'zod';
import type { AdminRoute } from './route';
import { errorAnswer } from './schemas';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the admin API, written from the routes' own zod schemas (OpenAPI 3.1
 * schemas are JSON Schema 2020-12, which zod emits). Named schemas (`.meta({ id })`) become
 * components; requests are described as accepted (input), answers as sent (output).
 */
export function openApiDocument(routes: readonly AdminRoute[], version: string): Json {
  const components: Record<string, unknown> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json;
    const { $schema: _ignored, $defs, ...rest } = JSON.parse(
      JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/'),
    ) as Json;
    Object.assign(components, ($defs ?? {}) as Json);
    return rest;
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
  const errorSchema = convert(errorAnswer, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(r.responses)) {
      responses[status] = { description: answer.description, content: { 'application/json': { schema: convert(answer.schema, 'output') } } };
    }
    for (const [status, description] of [
      ['400', 'invalid_request: a bad filter, parameter or body'],
      ['401', 'unauthorized: no or wrong bearer token'],
      ['503', 'admin_not_configured (ADMIN_TOKEN unset) or database_unavailable'],
    ] as const) {
      responses[status] ??= { description, content: { 'application/json': { schema: errorSchema } } };
    }
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      operationId: `${r.method}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: convert(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookport admin API',
      version,
      description: 'Inspect and replay the webhooks Hookport received, and manage the subscriptions its canonical events are delivered to. Every route but this document needs `Authorization: Bearer <ADMIN_TOKEN>`.',
    },
    servers: [{ url: '/admin/api' }],
    security: [{ adminToken: [] }],
    paths,
    components: { schemas: components, securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
  };
}

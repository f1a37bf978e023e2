import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FIXTURES } from '../helpers/fixtures';
import {
  buildClientSchema,
  parse,
  validate,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/**
 * Jobber's GraphQL introspection result (January 2023), gzipped into the fixtures.
 */
const SCHEMA_PATH = join(FIXTURES, 'jobber', 'graphql-schema.json.gz');

let schema: GraphQLSchema | undefined;

/** Jobber's GraphQL schema, built once from its introspection result. */
export function jobberSchema(): GraphQLSchema {
  if (!schema) {
    const introspection = JSON.parse(gunzipSync(readFileSync(SCHEMA_PATH)).toString('utf8')) as {
      data: IntrospectionQuery;
    };
    schema = buildClientSchema(introspection.data);
  }
  return schema;
}

/** The errors Jobber's schema finds in a document (syntax errors included); empty when valid. */
export function validateJobberQuery(query: string): readonly GraphQLError[] {
  let document;
  try {
    document = parse(query);
  } catch (err) {
    return [err as GraphQLError];
  }
  return validate(jobberSchema(), document);
}

import type { z } from 'zod';

/**
 * One canonical event type as its emitter declares it: the catalogue (src/events/catalogue.ts)
 * turns these into descriptions, JSON Schemas and examples.
 */
export interface EventTypeDefinition {
  /** e.g. `message.received`; lower-case words joined by dots. */
  type: string;
  /** One or two sentences for the people who subscribe: when it is sent and what it means. */
  description: string;
  /**
   * The record kind whose row is `data.object` (its RecordView gives schema and example), or
   * null for a type with no table, which declares `object` instead.
   */
  recordKind: string | null;
  /** For a type with no table: the normalized fields the provider sent, as `data.object`. */
  object?: { schema: z.ZodObject; example: Record<string, unknown> };
  /**
   * Whether `data.previous` may appear (the event can change a record that existed). Default:
   * true for a type with a record kind.
   */
  changesRecord?: boolean;
  /**
   * The JSON Schema of `data.object` as an operator wrote it (a source's own), published in place
   * of the one `object.schema` gives; bodies are not checked against it.
   */
  objectJsonSchema?: Record<string, unknown>;
  /** Type-specific fields of `data`, beside object, previous and source, and their example values. */
  fields?: { schema: z.ZodObject; example: Record<string, unknown> };
}

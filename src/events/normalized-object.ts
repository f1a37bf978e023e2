import { z } from 'zod';

/**
 * `data.object` of a type with no table: the fields the provider sent that the type declares. Each
 * is null when absent or not of its declared type, so what `of` returns always validates against
 * `schema`; times become ISO 8601 (UTC), and a number sent for a text field (an id) its text.
 */
export interface NormalizedObject {
  schema: z.ZodObject;
  /** `of` applied to a realistic payload: the catalogue's example. */
  example: Record<string, unknown>;
  of(data: unknown): Record<string, unknown>;
}

/** A field's schema, or its schema and a description for the catalogue. */
export type Field = z.ZodType | readonly [z.ZodType, string];

export interface NormalizedObjectOptions {
  /**
   * Fields that are times (declare them `z.iso.datetime({ offset: true })`): any time Date reads, written as ISO 8601
   * (UTC).
   */
  times?: readonly string[];
  /** A realistic payload (what the provider sends), for the example. */
  sample: Record<string, unknown>;
}

function valueOf(field: z.ZodType, raw: unknown, time: boolean): unknown {
  if (raw === undefined || raw === null) return null;
  if (time) {
    const at = typeof raw === 'string' ? new Date(raw) : null;
    return at && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
  }
  const parsed = field.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (typeof raw === 'number' && field.safeParse(String(raw)).success) return String(raw);
  return null;
}

const split = (f: Field): [z.ZodType, string | undefined] =>
  Array.isArray(f) ? [f[0] as z.ZodType, f[1] as string] : [f as z.ZodType, undefined];

/** Declares the fields (every one nullable in the schema) and normalizes payloads to them. */
export function normalizedObject(
  declared: Readonly<Record<string, Field>>,
  options: NormalizedObjectOptions,
): NormalizedObject {
  const times = new Set(options.times ?? []);
  const fields = Object.entries(declared).map(([key, f]) => [key, ...split(f)] as const);
  // Described on the nullable, not inside it, so the JSON Schema says it once.
  const shape = Object.fromEntries(
    fields.map(([key, schema, text]) => [key, text ? schema.nullable().describe(text) : schema.nullable()]),
  );
  const of = (data: unknown) => {
    const source =
      data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    return Object.fromEntries(fields.map(([key, schema]) => [key, valueOf(schema, source[key], times.has(key))]));
  };
  return { schema: z.strictObject(shape), example: of(options.sample), of };
}

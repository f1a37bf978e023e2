/**
 * Subscription content filters in Hookdeck's filter syntax. References: hookdeck.com/docs/filters (the
 * syntax), hookdeck/simple-json-match (Hookdeck's engine, its tests and readme) and hookdeck/outpost
 * internal/simplejsonmatch (the Go port Outpost evaluates destination filters with). Rules followed
 * where the docs leave room:
 * - An object condition matches an object whose own fields match each of its keys; all keys of one
 *   object, operators included, must match. `{}` matches any object.
 * - A plain value means equality, of the same JSON type (the JS engine compared with `==`, so "1"
 *   matched 1; Outpost compares by type, as here).
 * - Against an array field, a plain value or an object of fields matches when some element does
 *   (nested arrays are searched too); an array condition matches when each of its items is matched
 *   by some element (docs: "Array contains", "must contain all the specified values").
 * - Operators take the field's whole value: `{"$eq": [...]}` is deep equality and `$gt` against an
 *   array never matches (engine tests). Elements are tested with an array condition: `[{"$gt": 5}]`.
 * - `$in`/`$nin` with an array: the field is a string, number, boolean or null among the items; with
 *   a string: a substring of a string field or an element of an array field (Outpost). Other fields
 *   match neither, so `$nin` is `$in` negated only where `$in` applies (a type mismatch never matches).
 * - `$gt`, `$gte`, `$lt`, `$lte` compare numbers with numbers and strings with strings (code-unit
 *   order, so ISO timestamps compare as times). `$startsWith`/`$endsWith` take a string or an array
 *   of strings (any of them), against a string field.
 * - A missing field matches only `$exist: false` (and a `$not` or `$or` it satisfies); `$exist: true`
 *   includes null. `$or`, `$and` and `$not` apply to the value where they stand, at any level (the
 *   docs put `$not` on a field; the engines honour it only on objects).
 * - Any other `$` key is an unknown operator, so a typo is refused rather than read as a field name
 *   (the engines' reading). `$ref` is not supported (neither is it by Outpost).
 */

/** A validated filter: a JSON object in Hookdeck's filter syntax. */
export type EventFilter = { readonly [key: string]: unknown };

/**
 * An invalid filter; the message says what is wrong and where, e.g. `filter.data.object.status.$in: must be an array or
 * a string`.
 */
export class FilterError extends Error {
  override name = 'FilterError';
}

/** Bounds on a stored filter, so that evaluating one against every event stays cheap. */
export const FILTER_LIMITS = {
  /** Objects and arrays nested in one another, the filter itself included. */
  depth: 16,
  /** JSON values of every kind, the filter itself included. */
  values: 256,
  keysPerObject: 64,
  itemsPerArray: 128,
  /** Characters of any string, keys included. */
  stringLength: 1024,
  /** Characters of the whole filter as JSON. */
  jsonLength: 16384,
} as const;

/** Arrays nested in an array field that are searched for a match; deeper ones are not. */
export const MAX_ARRAY_NESTING = 16;

export const OPERATORS = [
  '$eq',
  '$neq',
  '$in',
  '$nin',
  '$exist',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$startsWith',
  '$endsWith',
  '$or',
  '$and',
  '$not',
] as const;
export type Operator = (typeof OPERATORS)[number];
export const isOperator = (key: string): key is Operator => (OPERATORS as readonly string[]).includes(key);

export type JsonObject = { readonly [key: string]: unknown };
export type Primitive = string | number | boolean | null;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const isPrimitive = (value: unknown): value is Primitive =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** Plain objects only: a Date, Map or class instance is not what JSON.parse gives. */
export function isPlainObject(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

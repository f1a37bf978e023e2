/**
 * Subscription content filters in Hookdeck's filter syntax. Sources: hookdeck.com/docs/filters (the
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

/** An invalid filter; the message says what is wrong and where, e.g. `filter.data.object.status.$in: must be an array or a string`. */
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
const MAX_ARRAY_NESTING = 16;

const OPERATORS = ['$eq', '$neq', '$in', '$nin', '$exist', '$gt', '$gte', '$lt', '$lte', '$startsWith', '$endsWith', '$or', '$and', '$not'] as const;
type Operator = (typeof OPERATORS)[number];
const isOperator = (key: string): key is Operator => (OPERATORS as readonly string[]).includes(key);

type JsonObject = { readonly [key: string]: unknown };
type Primitive = string | number | boolean | null;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown): value is Primitive =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** Plain objects only: a Date, Map or class instance is not what JSON.parse gives. */
function isPlainObject(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Where a value is, as a linked list so that a path costs nothing until a message needs it. */
interface Place {
  readonly parent?: Place;
  readonly step: string | number;
}

function pathText(place: Place | undefined): string {
  const steps: string[] = [];
  for (let at = place; at; at = at.parent) {
    const { step } = at;
    if (typeof step === 'number') steps.push(`[${step}]`);
    else if (/^[\w$-]{1,64}$/.test(step)) steps.push(`.${step}`);
    else steps.push(`[${JSON.stringify(step.length > 64 ? `${step.slice(0, 64)}…` : step)}]`);
  }
  return `filter${steps.reverse().join('')}`;
}

const fail = (place: Place | undefined, problem: string): never => {
  throw new FilterError(`${pathText(place)}: ${problem}`);
};

const OPERATOR_LIST = OPERATORS.join(', ');

/** Walks the caller's filter once, checking it and building a frozen copy (never aliasing the input). */
class Checker {
  private values = 0;

  /** A filter node: a plain value, an array of conditions, or an object of fields and operators. */
  condition(input: unknown, place: Place | undefined, depth: number): unknown {
    if (Array.isArray(input)) return this.array(input, place, depth, (item, at) => this.condition(item, at, depth + 1));
    if (!isPlainObject(input)) return this.literal(input, place, depth);
    return this.object(input, place, depth, (key, value, at) => {
      if (!key.startsWith('$')) return this.condition(value, at, depth + 1);
      if (!isOperator(key)) return fail(at, `unknown operator; the operators are ${OPERATOR_LIST}`);
      return this.operand(key, value, at, depth + 1);
    });
  }

  private operand(op: Operator, value: unknown, at: Place, depth: number): unknown {
    switch (op) {
      case '$eq':
      case '$neq':
        return this.literal(value, at, depth);
      case '$not':
        return this.condition(value, at, depth);
      case '$or':
      case '$and':
        if (!Array.isArray(value)) return fail(at, 'must be an array of conditions');
        return this.condition(value, at, depth);
      case '$exist':
        if (typeof value !== 'boolean') return fail(at, 'must be true or false');
        return this.literal(value, at, depth);
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (typeof value !== 'string' && typeof value !== 'number') return fail(at, 'must be a number or a string');
        return this.literal(value, at, depth);
      case '$in':
      case '$nin':
        if (typeof value === 'string') return this.literal(value, at, depth);
        if (!Array.isArray(value)) return fail(at, 'must be an array or a string');
        return this.array(value, at, depth, (item, place) =>
          isPrimitive(item) ? this.literal(item, place, depth + 1) : fail(place, 'must be a string, a number, a boolean or null'),
        );
      case '$startsWith':
      case '$endsWith':
        if (typeof value === 'string') return this.literal(value, at, depth);
        if (!Array.isArray(value)) return fail(at, 'must be a string or an array of strings');
        return this.array(value, at, depth, (item, place) =>
          typeof item === 'string' ? this.literal(item, place, depth + 1) : fail(place, 'must be a string'),
        );
    }
  }

  /** Any JSON value, taken as it is (an operand of `$eq`, where `$` keys are not operators). */
  literal(input: unknown, place: Place | undefined, depth: number): unknown {
    if (Array.isArray(input)) return this.array(input, place, depth, (item, at) => this.literal(item, at, depth + 1));
    if (isPlainObject(input)) return this.object(input, place, depth, (_key, value, at) => this.literal(value, at, depth + 1));
    this.count(place);
    if (typeof input === 'string') this.checkString(input, place, 'string');
    else if (!isPrimitive(input)) fail(place, 'must be a JSON value (a string, a finite number, true, false, null, an array or an object)');
    return input;
  }

  private array(input: readonly unknown[], place: Place | undefined, depth: number, item: (value: unknown, at: Place) => unknown): unknown {
    this.count(place);
    this.checkDepth(place, depth);
    if (input.length > FILTER_LIMITS.itemsPerArray) fail(place, `more than ${FILTER_LIMITS.itemsPerArray} items`);
    const copy: unknown[] = [];
    for (let i = 0; i < input.length; i++) copy.push(item(input[i], { parent: place, step: i }));
    return Object.freeze(copy);
  }

  private object(
    input: JsonObject,
    place: Place | undefined,
    depth: number,
    entry: (key: string, value: unknown, at: Place) => unknown,
  ): JsonObject {
    this.count(place);
    this.checkDepth(place, depth);
    const keys = Object.keys(input);
    if (keys.length > FILTER_LIMITS.keysPerObject) fail(place, `more than ${FILTER_LIMITS.keysPerObject} keys`);
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      this.checkString(key, place, 'key');
      const value = entry(key, input[key], { parent: place, step: key });
      // defineProperty: a key such as `__proto__` stays a plain own field of the copy.
      Object.defineProperty(copy, key, { value, enumerable: true, writable: false, configurable: false });
    }
    return Object.freeze(copy);
  }

  private count(place: Place | undefined): void {
    if (++this.values > FILTER_LIMITS.values) fail(place, `the filter has more than ${FILTER_LIMITS.values} values`);
  }

  private checkDepth(place: Place | undefined, depth: number): void {
    if (depth > FILTER_LIMITS.depth) fail(place, `nested more than ${FILTER_LIMITS.depth} levels deep`);
  }

  private checkString(text: string, place: Place | undefined, what: 'string' | 'key'): void {
    if (text.length > FILTER_LIMITS.stringLength) fail(place, `${what} longer than ${FILTER_LIMITS.stringLength} characters`);
  }
}

/**
 * Checks a filter as given by an API caller (parsed JSON) and returns it (a frozen copy); throws
 * FilterError. Bounded by FILTER_LIMITS: depth, keys, string/array sizes and total size (so a stored
 * filter is cheap to evaluate).
 */
export function parseFilter(input: unknown): EventFilter {
  if (!isPlainObject(input)) return fail(undefined, 'must be an object');
  const filter = new Checker().condition(input, undefined, 1) as EventFilter;
  const length = JSON.stringify(filter).length;
  if (length > FILTER_LIMITS.jsonLength) fail(undefined, `longer than ${FILTER_LIMITS.jsonLength} characters as JSON`);
  return filter;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** A field the body does not have (distinct from null). */
const MISSING: unique symbol = Symbol('missing');

/** Whether an event body (parsed JSON: {"type","timestamp","data":{...}}) matches the filter. Pure, never throws, bounded time. */
export function matchesFilter(filter: EventFilter, body: unknown): boolean {
  try {
    return matches(filter, body);
  } catch {
    // Only a filter that did not come from parseFilter, or a body with throwing getters, gets here.
    return false;
  }
}

function matches(condition: unknown, value: unknown): boolean {
  if (Array.isArray(condition)) {
    if (!Array.isArray(value)) return false;
    return condition.every((item) => value.some((element) => matches(item, element)));
  }
  if (!isObject(condition)) return Array.isArray(value) ? someElement(value, (element) => element === condition) : value === condition;
  let fields = false;
  let operators = false;
  for (const key of Object.keys(condition)) {
    if (!key.startsWith('$')) fields = true;
    else if (isOperator(key) && applies(key, condition[key], value)) operators = true;
    else return false;
  }
  // `{}` and objects of fields want an object; a pure operator object does not.
  return fields || !operators ? fieldsMatch(condition, value) : true;
}

/** The condition's field keys against an object, or against some element of an array. */
function fieldsMatch(condition: JsonObject, value: unknown): boolean {
  if (Array.isArray(value)) return someElement(value, (element) => fieldsMatch(condition, element));
  if (!isObject(value)) return false;
  for (const key of Object.keys(condition)) {
    if (key.startsWith('$')) continue;
    // Object.hasOwn: a filter key such as `constructor` never reaches the prototype.
    if (!matches(condition[key], Object.hasOwn(value, key) ? value[key] : MISSING)) return false;
  }
  return true;
}

/** Whether some element of `array`, or of arrays nested in it (to a bound), passes `test`. */
function someElement(array: readonly unknown[], test: (element: unknown) => boolean, nesting = 0): boolean {
  for (const element of array) {
    if (Array.isArray(element) ? nesting < MAX_ARRAY_NESTING && someElement(element, test, nesting + 1) : test(element)) return true;
  }
  return false;
}

function applies(op: Operator, operand: unknown, value: unknown): boolean {
  switch (op) {
    case '$not':
      return !matches(operand, value);
    case '$or':
      return (operand as readonly unknown[]).some((item) => matches(item, value));
    case '$and':
      return (operand as readonly unknown[]).every((item) => matches(item, value));
    case '$exist':
      return operand === (value !== MISSING);
  }
  if (value === MISSING) return false;
  switch (op) {
    case '$eq':
      return equal(operand, value);
    case '$neq':
      return !equal(operand, value);
    case '$in':
      return contains(operand, value) === true;
    case '$nin':
      return contains(operand, value) === false;
    case '$gt':
      return order(value, operand) > 0;
    case '$gte':
      return order(value, operand) >= 0;
    case '$lt':
      return order(value, operand) < 0;
    case '$lte':
      return order(value, operand) <= 0;
    case '$startsWith':
      return typeof value === 'string' && anyString(operand).some((prefix) => value.startsWith(prefix));
    case '$endsWith':
      return typeof value === 'string' && anyString(operand).some((suffix) => value.endsWith(suffix));
  }
}

/** Deep equality of JSON values; its work is bounded by the (validated) filter's side. */
function equal(expected: unknown, value: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(value) && value.length === expected.length && expected.every((item, i) => equal(item, value[i]));
  }
  if (isObject(expected)) {
    if (!isObject(value)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(value).length && keys.every((key) => Object.hasOwn(value, key) && equal(expected[key], value[key]));
  }
  return value === expected;
}

/** `$in`'s answer, or undefined where it does not apply (then `$nin` does not match either). */
function contains(operand: unknown, value: unknown): boolean | undefined {
  if (Array.isArray(operand)) return isPrimitive(value) ? operand.includes(value) : undefined;
  if (typeof operand !== 'string') return undefined;
  if (typeof value === 'string') return value.includes(operand);
  if (Array.isArray(value)) return value.includes(operand);
  return undefined;
}

/** -1, 0 or 1 as value is below, at or above operand, for two numbers or two strings; NaN (unordered) otherwise. */
function order(value: unknown, operand: unknown): number {
  if (typeof value === 'number' && typeof operand === 'number') return sign(value, operand);
  if (typeof value === 'string' && typeof operand === 'string') return sign(value, operand);
  return NaN;
}

const sign = <T extends number | string>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

const anyString = (operand: unknown): readonly string[] => (typeof operand === 'string' ? [operand] : (operand as readonly string[]));

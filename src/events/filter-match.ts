import {
  isObject,
  isOperator,
  isPrimitive,
  MAX_ARRAY_NESTING,
  type EventFilter,
  type JsonObject,
  type Operator,
} from './filter-syntax';

/** A field the body does not have (distinct from null). */
const MISSING: unique symbol = Symbol('missing');

/**
 * Whether an event body (parsed JSON: {"type","timestamp","data":{...}}) matches the filter. Pure, never throws,
 * bounded time.
 */
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
  if (!isObject(condition))
    return Array.isArray(value) ? someElement(value, (element) => element === condition) : value === condition;
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
    if (Array.isArray(element) ? nesting < MAX_ARRAY_NESTING && someElement(element, test, nesting + 1) : test(element))
      return true;
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
    return (
      Array.isArray(value) && value.length === expected.length && expected.every((item, i) => equal(item, value[i]))
    );
  }
  if (isObject(expected)) {
    if (!isObject(value)) return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(value).length &&
      keys.every((key) => Object.hasOwn(value, key) && equal(expected[key], value[key]))
    );
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

const anyString = (operand: unknown): readonly string[] =>
  typeof operand === 'string' ? [operand] : (operand as readonly string[]);

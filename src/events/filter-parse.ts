import {
  FILTER_LIMITS,
  FilterError,
  isOperator,
  isPlainObject,
  isPrimitive,
  OPERATORS,
  type EventFilter,
  type JsonObject,
  type Operator,
} from './filter-syntax';

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
          isPrimitive(item)
            ? this.literal(item, place, depth + 1)
            : fail(place, 'must be a string, a number, a boolean or null'),
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
    if (isPlainObject(input))
      return this.object(input, place, depth, (_key, value, at) => this.literal(value, at, depth + 1));
    this.count(place);
    if (typeof input === 'string') this.checkString(input, place, 'string');
    else if (!isPrimitive(input))
      fail(place, 'must be a JSON value (a string, a finite number, true, false, null, an array or an object)');
    return input;
  }

  private array(
    input: readonly unknown[],
    place: Place | undefined,
    depth: number,
    item: (value: unknown, at: Place) => unknown,
  ): unknown {
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
    if (text.length > FILTER_LIMITS.stringLength)
      fail(place, `${what} longer than ${FILTER_LIMITS.stringLength} characters`);
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

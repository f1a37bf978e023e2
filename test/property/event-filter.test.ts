import fc from 'fast-check';
import { FILTER_LIMITS, FilterError, matchesFilter, parseFilter } from '../../src/events/filter';

/**
 * Field names, mostly a few (so that filters and bodies share them), prototype ones among them; none starts with `$`.
 */
const key = fc.oneof(
  { arbitrary: fc.constantFrom('type', 'data', 'tags', '__proto__', 'constructor'), weight: 6 },
  { arbitrary: fc.constantFrom('toString', 'hasOwnProperty', 'valueOf'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 4 }).filter((k) => !k.startsWith('$')), weight: 1 },
);

/** Values, mostly a few (so that filters and bodies often agree). */
const primitive = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>('', 'a', 'b', 'ab', '1', 0, 1, -1, 1.5, true, false, null), weight: 6 },
  { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 1 },
);
const text = fc.oneof(fc.constantFrom('', 'a', 'b', 'ab'), fc.string({ maxLength: 3 }));

/** An object of own fields, as JSON.parse makes it: a `__proto__` key is a field, not the prototype. */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of entries)
    Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  return object;
}
const fieldsOf = (value: fc.Arbitrary<unknown>, maxLength = 3, minLength = 0) =>
  fc.uniqueArray(fc.tuple(key, value), { minLength, maxLength, selector: ([name]) => name }).map(objectOf);

/** JSON values as a body holds them. */
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'json' },
    { arbitrary: primitive, weight: 3 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 1 },
    { arbitrary: fieldsOf(tie('value')), weight: 1 },
  ),
})).value;
const body = fieldsOf(json, 6, 2);

/** Each operator with operands of the types it takes. */
const VALUE_OPERANDS: Record<string, fc.Arbitrary<unknown>> = {
  $eq: json,
  $neq: json,
  $in: fc.oneof(fc.array(primitive, { maxLength: 3 }), text),
  $nin: fc.oneof(fc.array(primitive, { maxLength: 3 }), text),
  $exist: fc.boolean(),
  $gt: fc.oneof(fc.integer({ min: -3, max: 3 }), text),
  $gte: fc.oneof(fc.integer({ min: -3, max: 3 }), text),
  $lt: fc.oneof(fc.integer({ min: -3, max: 3 }), text),
  $lte: fc.oneof(fc.integer({ min: -3, max: 3 }), text),
  $startsWith: fc.oneof(text, fc.array(text, { maxLength: 2 })),
  $endsWith: fc.oneof(text, fc.array(text, { maxLength: 2 })),
};

/** Valid conditions of every form: plain values, arrays, objects of fields, operators (some beside fields). */
const { condition, root } = fc.letrec((tie) => {
  const entry = fc.oneof(
    ...Object.entries(VALUE_OPERANDS).map(([op, operand]) => operand.map((value) => [op, value] as const)),
    fc.array(tie('condition'), { maxLength: 2 }).map((items) => ['$or', items] as const),
    fc.array(tie('condition'), { maxLength: 2 }).map((items) => ['$and', items] as const),
    tie('condition').map((item) => ['$not', item] as const),
  );
  const operators = fc
    .tuple(
      fc.uniqueArray(entry, { minLength: 1, maxLength: 2, selector: ([op]) => op }),
      fc.uniqueArray(fc.tuple(key, tie('condition')), { maxLength: 1 }),
    )
    .map(([ops, fields]) => objectOf([...ops, ...fields]));
  return {
    condition: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'condition' },
      primitive,
      tie('root'),
      fc.array(tie('condition'), { maxLength: 2 }),
    ),
    root: fc.oneof({ depthIdentifier: 'condition' }, fieldsOf(tie('condition')), operators),
  };
});
const filter = root as fc.Arbitrary<Record<string, unknown>>;

/** A filter made of the body's own values, in every form that must match it. */
function matching(value: unknown): fc.Arbitrary<unknown> {
  const always = [fc.constant({ $exist: true }), fc.constant({ $eq: value }), fc.constant({ $not: { $neq: value } })];
  if (Array.isArray(value)) {
    const plain = value.filter((element) => !Array.isArray(element));
    return fc.oneof(
      ...always,
      // each item of an array condition is matched by some element
      fc.shuffledSubarray([...value.keys()]).chain((picked) => fc.tuple(...picked.map((i) => matching(value[i])))),
      // a plain value or an object of fields matches when some element does
      ...(plain.length > 0
        ? [
            fc
              .constantFrom(...plain)
              .chain((element) => (isObject(element) ? matchingFields(element) : fc.constant(element))),
          ]
        : []),
    );
  }
  if (isObject(value))
    return fc.oneof(
      ...always,
      matchingFields(value),
      matchingFields(value).map((fields) => ({ $and: [fields, {}] })),
    );
  const other = primitive.filter((candidate) => candidate !== value);
  const forms = [
    ...always,
    fc.constant(value),
    other.map((candidate) => ({ $in: [candidate, value] })),
    other.map((candidate) => ({ $nin: [candidate] })),
    other.map((candidate) => ({ $or: [candidate, value] })),
  ];
  if (typeof value === 'number' || typeof value === 'string') forms.push(fc.constant({ $gte: value, $lte: value }));
  if (typeof value === 'string') {
    const cut = fc.nat({ max: value.length });
    forms.push(
      cut.map((n) => ({ $startsWith: value.slice(0, n) })),
      cut.map((n) => ({ $endsWith: [value.slice(n), 'never?'] })),
      fc.tuple(cut, cut).map(([a, b]) => ({ $in: value.slice(Math.min(a, b), Math.max(a, b)) })),
    );
  }
  return fc.oneof(...forms);
}

function matchingFields(value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(value);
  return fc
    .subarray(names, { minLength: Math.min(1, names.length) })
    .chain((picked) => fc.tuple(...picked.map((name) => matching(value[name]).map((item) => [name, item] as const))))
    .map(objectOf);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const matches = (f: unknown, b: unknown) => matchesFilter(parseFilter(f), b);
/** `{[name]: condition}`, with `__proto__` a field like any other. */
const at = (name: string, item: unknown) => objectOf([[name, item]]);

/** JSON values in the filter, and its nesting of objects and arrays, counted independently of the checker. */
function size(value: unknown, depth = 1): { values: number; depth: number } {
  if (value === null || typeof value !== 'object') return { values: 1, depth: 0 };
  const children = Object.values(value).map((child) => size(child, depth + 1));
  return {
    values: 1 + children.reduce((sum, child) => sum + child.values, 0),
    depth: Math.max(depth, ...children.map((child) => child.depth)),
  };
}

const OPERATORS = [
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
];

describe('subscription filters, properties', () => {
  it('parseFilter accepts every filter of its arbitrary, within the bounds, and returns an equal copy that survives JSON', () => {
    fc.assert(
      fc.property(filter, (input) => {
        const { values, depth } = size(input);
        expect(values).toBeLessThanOrEqual(FILTER_LIMITS.values);
        expect(depth).toBeLessThanOrEqual(FILTER_LIMITS.depth);
        const parsed = parseFilter(input);
        expect(parsed).toEqual(input);
        expect(parseFilter(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('parseFilter refuses an unknown operator wherever it stands', () => {
    const unknown = fc
      .string({ maxLength: 8 })
      .map((name) => `$${name}`)
      .filter((name) => !OPERATORS.includes(name));
    fc.assert(
      fc.property(filter, key, unknown, json, fc.boolean(), (valid, name, op, operand, top) => {
        const input = top
          ? objectOf([...Object.entries(valid), [op, operand]])
          : { $and: [valid, at(name, { $or: [at(op, operand)] })] };
        let message = '';
        expect(() => {
          try {
            parseFilter(input);
          } catch (err) {
            message = (err as Error).message;
            throw err;
          }
        }).toThrow(FilterError);
        expect(message.startsWith('filter')).toBe(true);
        expect(message).toContain(': unknown operator; the operators are $eq, ');
      }),
    );
  });

  it('parseFilter throws nothing but FilterError, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.jsonValue(),
          filter.map((valid) => ({ deeper: [valid, { $not: valid }] })),
        ),
        (input) => {
          try {
            parseFilter(input);
          } catch (err) {
            expect(err).toBeInstanceOf(FilterError);
          }
        },
      ),
    );
  });

  it('matchesFilter never throws, whatever the body', () => {
    fc.assert(
      fc.property(filter, fc.oneof(body, fc.anything(), fc.jsonValue()), (input, anyBody) => {
        const parsed = parseFilter(input);
        expect(typeof matchesFilter(parsed, anyBody)).toBe('boolean');
      }),
    );
  });

  it('{} matches every object body', () => {
    fc.assert(fc.property(body, (b) => expect(matches({}, b)).toBe(true)));
  });

  it("a filter made of a body's own values matches that body", () => {
    fc.assert(
      fc.property(
        body.chain((b) => fc.tuple(fc.constant(b), matchingFields(b))),
        ([b, f]) => expect(matches(f, b)).toBe(true),
      ),
      { numRuns: 300 },
    );
  });

  it('$not inverts, at the top and on a field (present or missing)', () => {
    fc.assert(
      fc.property(filter, condition, key, body, (f, c, name, b) => {
        expect(matches({ $not: f }, b)).toBe(!matches(f, b));
        expect(matches(at(name, { $not: c }), b)).toBe(!matches(at(name, c), b));
      }),
      { numRuns: 300 },
    );
  });

  it('$or is either and $and is both, at the top and on a field', () => {
    fc.assert(
      fc.property(filter, filter, condition, condition, key, body, (f, g, c, d, name, b) => {
        expect(matches({ $or: [f, g] }, b)).toBe(matches(f, b) || matches(g, b));
        expect(matches({ $and: [f, g] }, b)).toBe(matches(f, b) && matches(g, b));
        expect(matches(at(name, { $or: [c, d] }), b)).toBe(matches(at(name, c), b) || matches(at(name, d), b));
        expect(matches(at(name, { $and: [c, d] }), b)).toBe(matches(at(name, c), b) && matches(at(name, d), b));
      }),
      { numRuns: 300 },
    );
  });

  it('the keys of one object are all required', () => {
    fc.assert(
      fc.property(filter, filter, body, (f, g, b) => {
        const both = objectOf([...Object.entries(f), ...Object.entries(g).filter(([name]) => !Object.hasOwn(f, name))]);
        const parts = Object.entries(both).map(([name, item]) => at(name, item));
        expect(matches(both, b)).toBe(parts.every((part) => matches(part, b)));
      }),
    );
  });

  it('$in: [x] is $eq: x, for any plain value x', () => {
    fc.assert(
      fc.property(primitive, key, body, (x, name, b) => {
        expect(matches(at(name, { $in: [x] }), b)).toBe(matches(at(name, { $eq: x }), b));
      }),
    );
  });

  it('$nin is $in negated where $in applies, and neither matches where it does not', () => {
    fc.assert(
      fc.property(VALUE_OPERANDS.$in!, key, body, (operand, name, b) => {
        const present = Object.hasOwn(b, name);
        const field = b[name];
        const applies =
          present && (Array.isArray(operand) ? isPrimitive(field) : typeof field === 'string' || Array.isArray(field));
        const isIn = matches(at(name, { $in: operand }), b);
        expect(matches(at(name, { $nin: operand }), b)).toBe(applies && !isIn);
        if (!applies) expect(isIn).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a plain value matches an array field exactly when some element equals it', () => {
    fc.assert(
      fc.property(fc.array(primitive, { maxLength: 4 }), primitive, (elements, x) => {
        expect(matches({ a: x }, { a: elements })).toBe(elements.includes(x));
        expect(matches({ a: [x] }, { a: elements })).toBe(elements.includes(x));
      }),
    );
  });
});

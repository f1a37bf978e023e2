import { FILTER_LIMITS, FilterError, matchesFilter, parseFilter } from '../../src/events/filter';

/** Through parseFilter, as a stored filter is. */
const matches = (filter: unknown, body: unknown) => matchesFilter(parseFilter(filter), body);

type Case = [string, unknown, unknown];

/** Each row: what it shows, filter, body; every row of `matching` matches, every row of `failing` does not. */
function table(matching: Case[], failing: Case[]): void {
  it.each(matching)('matches: %s', (_what, filter, body) => expect(matches(filter, body)).toBe(true));
  it.each(failing)('does not match: %s', (_what, filter, body) => expect(matches(filter, body)).toBe(false));
}

const event = {
  type: 'invoice.paid',
  timestamp: '2025-03-04T05:06:07Z',
  data: { object: { id: 'inv_1', status: 'paid', amount: 1200, note: null, client: { email: 'ada@example.com' } } },
};

describe('plain values and nesting', () => {
  table(
    [
      ['an empty filter', {}, event],
      ['a top-level field', { type: 'invoice.paid' }, event],
      ['a nested field', { data: { object: { status: 'paid' } } }, event],
      [
        'several fields, all equal',
        { type: 'invoice.paid', data: { object: { amount: 1200, client: { email: 'ada@example.com' } } } },
        event,
      ],
      ['null equals null', { data: { object: { note: null } } }, event],
      ['an empty object against an object field', { data: { object: { client: {} } } }, event],
      ['booleans', { ok: false }, { ok: false }],
    ],
    [
      ['another value', { type: 'invoice.sent' }, event],
      ['one of several fields differs', { type: 'invoice.paid', data: { object: { amount: 1 } } }, event],
      ['a missing field', { data: { object: { due: 'soon' } } }, event],
      ['a string against a number (no coercion)', { data: { object: { amount: '1200' } } }, event],
      ['a number against a string', { n: 1 }, { n: '1' }],
      ['false against null', { data: { object: { note: false } } }, event],
      ['null against a missing field', { data: { object: { due: null } } }, event],
      ['an object against a string field', { type: { name: 'invoice.paid' } }, event],
      ['a value against an object field', { data: { object: { client: 'ada@example.com' } } }, event],
      ['an empty object against a string field', { type: {} }, event],
      ['an empty object against a missing field', { missing: {} }, event],
      ['an empty filter against a body that is not an object', {}, 'text'],
    ],
  );
});

describe('array fields', () => {
  const body = {
    tags: ['gift', 'sale', 3],
    items: [
      { id: 456, qty: 9 },
      { id: 789, qty: 11 },
    ],
    grid: [[1, 2], [3]],
    none: [],
  };
  table(
    [
      ['a value the array contains', { tags: 'gift' }, body],
      ['a number the array contains', { tags: 3 }, body],
      ['an array condition: contains all its items, in any order', { tags: ['sale', 'gift'] }, body],
      ['an empty array condition against any array', { none: [] }, body],
      ['an object against some element', { items: { id: 789 } }, body],
      ['all fields of an object against the same element', { items: { id: 456, qty: 9 } }, body],
      ['an operator inside an object against elements', { items: { qty: { $lte: 10 } } }, body],
      ['an array condition of operators tests elements', { tags: [{ $startsWith: 'sa' }] }, body],
      ['nested arrays are searched', { grid: 3 }, body],
      ['$eq on the whole array', { tags: { $eq: ['gift', 'sale', 3] } }, body],
    ],
    [
      ['a value the array lacks', { tags: 'toy' }, body],
      ['an array condition with one item missing', { tags: ['gift', 'toy'] }, body],
      ['fields that match different elements only', { items: { id: 456, qty: 11 } }, body],
      ['no element satisfies the operator', { items: { qty: { $gt: 20 } } }, body],
      ['an array condition against a non-array', { type: ['invoice.paid'] }, event],
      ['an operator applies to the whole array, not its elements', { tags: { $eq: 'gift' } }, body],
      ['$gt against an array', { grid: { $gt: 0 } }, body],
      ['$eq with another order', { tags: { $eq: ['sale', 'gift', 3] } }, body],
    ],
  );
});

describe('comparison operators', () => {
  table(
    [
      ['$eq with a value', { type: { $eq: 'invoice.paid' } }, event],
      [
        '$eq with an object, whatever its key order',
        { x: { $eq: { b: [1, { c: null }], a: 1 } } },
        { x: { a: 1, b: [1, { c: null }] } },
      ],
      ['$eq with null', { data: { object: { note: { $eq: null } } } }, event],
      ['$eq takes `$` keys literally', { x: { $eq: { $gt: 1 } } }, { x: { $gt: 1 } }],
      ['$neq with another value', { type: { $neq: 'invoice.sent' } }, event],
      ['$neq with another type', { data: { object: { amount: { $neq: '1200' } } } }, event],
      ['$neq null on a value', { type: { $neq: null } }, event],
      ['$gt', { data: { object: { amount: { $gt: 1000 } } } }, event],
      ['$gte at the bound', { data: { object: { amount: { $gte: 1200 } } } }, event],
      ['$lt', { data: { object: { amount: { $lt: 1200.5 } } } }, event],
      ['$lte at the bound', { data: { object: { amount: { $lte: 1200 } } } }, event],
      ['$gte and $lt together (a range)', { data: { object: { amount: { $gte: 100, $lt: 5000 } } } }, event],
      [
        'strings by order: an ISO time range',
        { timestamp: { $gte: '2025-03-01T00:00:00Z', $lt: '2025-04-01T00:00:00Z' } },
        event,
      ],
    ],
    [
      ['$eq with another value', { type: { $eq: 'invoice.sent' } }, event],
      ['$eq with an object with an extra key', { x: { $eq: { a: 1 } } }, { x: { a: 1, b: 2 } }],
      ['$eq with an object missing a key', { x: { $eq: { a: 1, b: 2 } } }, { x: { a: 1 } }],
      ['$eq with a shorter array', { x: { $eq: [1] } }, { x: [1, 2] }],
      ['$neq with the same value', { type: { $neq: 'invoice.paid' } }, event],
      ['$neq on a missing field', { due: { $neq: 'x' } }, event],
      ['$gt at the bound', { data: { object: { amount: { $gt: 1200 } } } }, event],
      ['$gte above', { data: { object: { amount: { $gte: 1201 } } } }, event],
      ['$lt at the bound', { data: { object: { amount: { $lt: 1200 } } } }, event],
      ['$lte below', { data: { object: { amount: { $lte: 1199 } } } }, event],
      ['one of two bounds fails', { data: { object: { amount: { $gte: 100, $lt: 500 } } } }, event],
      ['$gt: a number against a string field', { type: { $gt: 0 } }, event],
      ['$lt: a string against a number field', { data: { object: { amount: { $lt: 'zzz' } } } }, event],
      ['$gte against null', { data: { object: { note: { $gte: 0 } } } }, event],
      ['$lte on a missing field', { due: { $lte: 10 } }, event],
    ],
  );
});

describe('$in and $nin', () => {
  const body = { status: 'some-text', id: 123, tags: ['urgent', 'support'], flag: true, none: null, obj: { a: 1 } };
  table(
    [
      ['$in: a string in the array', { status: { $in: ['other', 'some-text'] } }, body],
      ['$in: a number in the array', { id: { $in: [123, 456] } }, body],
      ['$in: a boolean in the array', { flag: { $in: [true] } }, body],
      ['$in: null in the array', { none: { $in: [null, 'x'] } }, body],
      ['$in with a string: a substring', { status: { $in: 'text' } }, body],
      ['$in with a string: an element of an array field', { tags: { $in: 'urgent' } }, body],
      ['$nin: not in the array', { status: { $nin: ['some', 'text'] } }, body],
      ['$nin: not a substring', { status: { $nin: 'other' } }, body],
      ['$nin: not an element of an array field', { tags: { $nin: 'billing' } }, body],
      ['$nin with an empty array', { id: { $nin: [] } }, body],
    ],
    [
      ['$in: not in the array', { status: { $in: ['some', 'text'] } }, body],
      ['$in: no coercion', { id: { $in: ['123'] } }, body],
      ['$in with an empty array', { id: { $in: [] } }, body],
      ['$in with a string: not a substring', { status: { $in: 'other' } }, body],
      ['$in with a string: only a substring of an element', { tags: { $in: 'urge' } }, body],
      ['$in with a string against a number', { id: { $in: '12' } }, body],
      ['$in with an array against an array field', { tags: { $in: ['urgent'] } }, body],
      ['$in against an object', { obj: { $in: ['a'] } }, body],
      ['$in on a missing field', { due: { $in: ['x'] } }, body],
      ['$nin: in the array', { id: { $nin: [123, 456] } }, body],
      ['$nin: a substring', { status: { $nin: 'some' } }, body],
      ['$nin: an element of an array field', { tags: { $nin: 'urgent' } }, body],
      ['$nin where $in does not apply: an array against an array field', { tags: { $nin: ['x'] } }, body],
      ['$nin where $in does not apply: a string against a number', { id: { $nin: 'x' } }, body],
      ['$nin on a missing field', { due: { $nin: ['x'] } }, body],
    ],
  );
});

describe('$startsWith, $endsWith and $exist', () => {
  table(
    [
      ['$startsWith', { type: { $startsWith: 'invoice.' } }, event],
      ['$startsWith any of an array', { type: { $startsWith: ['job.', 'invoice.'] } }, event],
      ['$endsWith', { data: { object: { client: { email: { $endsWith: '@example.com' } } } } }, event],
      ['$endsWith any of an array', { type: { $endsWith: ['.sent', '.paid'] } }, event],
      ['$exist: true on a value', { type: { $exist: true } }, event],
      ['$exist: true on null', { data: { object: { note: { $exist: true } } } }, event],
      ['$exist: false on a missing field', { data: { object: { deleted_at: { $exist: false } } } }, event],
      ['$exist: false in an empty object', { data: { gone: { $exist: false } } }, { data: {} }],
      ['$exist with another operator', { type: { $exist: true, $in: 'paid' } }, event],
    ],
    [
      ['$startsWith: another prefix', { type: { $startsWith: 'job.' } }, event],
      ['$startsWith: none of an array', { type: { $startsWith: ['job.', 'client.'] } }, event],
      ['$startsWith: an empty array', { type: { $startsWith: [] } }, event],
      ['$startsWith against a number', { data: { object: { amount: { $startsWith: '12' } } } }, event],
      ['$startsWith against an array of strings', { tags: { $startsWith: 'a' } }, { tags: ['ab'] }],
      ['$endsWith: another suffix', { type: { $endsWith: 'invoice' } }, event],
      ['$endsWith on a missing field', { due: { $endsWith: '' } }, event],
      ['$exist: true on a missing field', { data: { object: { deleted_at: { $exist: true } } } }, event],
      ['$exist: false on null', { data: { object: { note: { $exist: false } } } }, event],
      ['$exist: false on a value', { type: { $exist: false } }, event],
      ['$exist: false under a field that is not an object', { type: { gone: { $exist: false } } }, event],
    ],
  );
});

describe('$or, $and and $not', () => {
  const body = { test: { test1: 'else', test2: 'not' }, n: 5 };
  table(
    [
      ['$or: one of two', { $or: [{ test: { test1: 'x' } }, { test: { test2: 'not' } }] }, body],
      ['$or of plain values on a field', { n: { $or: [1, 5] } }, body],
      ['$or inside a field', { test: { $or: [{ test1: true }, { test1: { $in: 'els' } }] } }, body],
      [
        '$or with $exist: false',
        { $or: [{ test: { test3: { $exist: true } } }, { test: { test4: { $exist: false } } }] },
        body,
      ],
      ['$and: both', { $and: [{ test: { test1: 'else' } }, { test: { test2: 'not' } }] }, body],
      ['$and with an empty array', { $and: [] }, body],
      [
        '$and beside fields',
        { test: { test1: { $exist: true, $or: ['else', 'not'] }, $and: [{ test1: 'else' }, { test2: 'not' }] } },
        body,
      ],
      ['$not at the top', { $not: { test: { test1: 'other' } } }, body],
      [
        '$not on a field, of $in (the docs example)',
        { test: { test1: { $not: { $in: ['cancelled', 'refunded'] } } } },
        body,
      ],
      ['$not of a plain value', { n: { $not: 6 } }, body],
      ['$not on a missing field', { gone: { $not: { $eq: 1 } } }, body],
      [
        '$not beside $and: neither negated part matches',
        { $not: { test: { test1: 'else2' } }, $and: [{ n: 5 }, { test: { test2: 'not' } }] },
        body,
      ],
      ['$not of $not', { $not: { $not: { n: 5 } } }, body],
      ['$not of $or', { $not: { $or: [{ n: 1 }, { n: 2 }] } }, body],
    ],
    [
      ['$or: neither', { $or: [{ test: { test1: 'x' } }, { test: { test2: 'y' } }] }, body],
      ['$or with an empty array', { $or: [] }, body],
      ['$or of plain values on a field, none equal', { n: { $or: [1, 2] } }, body],
      ['$or on a missing field', { gone: { $or: [1, { $exist: true }] } }, body],
      ['$and: one of two fails', { $and: [{ test: { test1: 'else' } }, { test: { test2: 'other' } }] }, body],
      ['$and of two values on one field', { n: { $and: [5, 6] } }, body],
      ['$not at the top', { $not: { test: { test1: 'else' } } }, body],
      ['$not on a field, of $in', { test: { test1: { $not: { $in: ['else', 'x'] } } } }, body],
      ['$not of $exist: false on a missing field', { gone: { $not: { $exist: false } } }, body],
      [
        '$not beside $and: the negated part matches',
        { $not: { test: { test1: { $exist: true } } }, $and: [{ n: 5 }] },
        body,
      ],
      ['$or fails beside a $not that passes', { $not: { n: 6 }, $or: [{ n: 1 }, { test: { test2: 'x' } }] }, body],
    ],
  );
});

describe('prototype keys are plain field names', () => {
  const body = JSON.parse('{"__proto__": {"admin": true}, "constructor": "c", "data": {}}') as unknown;

  table(
    [
      ['an own __proto__ field', JSON.parse('{"__proto__": {"admin": true}}'), body],
      ['an own constructor field', { constructor: 'c' }, body],
      ['$exist: false on toString', { data: { toString: { $exist: false } } }, body],
      ['$exist: false on hasOwnProperty', { hasOwnProperty: { $exist: false } }, {}],
    ],
    [
      ['constructor of a body without one', { constructor: { $exist: true } }, {}],
      ['toString of a body without one', { toString: { $exist: true } }, { data: 1 }],
      ['__proto__ of a body without one', JSON.parse('{"__proto__": {}}'), {}],
      ['valueOf, a plain value', { valueOf: 'x' }, {}],
      ['constructor, an empty object', { data: { constructor: {} } }, body],
      [
        '$eq with an own __proto__ against a body without one',
        { x: { $eq: JSON.parse('{"__proto__": 1}') } },
        { x: {} },
      ],
    ],
  );

  it('keeps an own __proto__ key as a field of the parsed copy, and leaves Object.prototype alone', () => {
    const filter = parseFilter(JSON.parse('{"__proto__": {"polluted": true}, "type": "x"}'));
    expect(Object.keys(filter)).toEqual(['__proto__', 'type']);
    expect(Object.getPrototypeOf(filter)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(filter)).toBe('{"__proto__":{"polluted":true},"type":"x"}');
  });
});

describe('parseFilter', () => {
  it('returns a frozen copy, equal to the input', () => {
    const input = {
      data: { object: { status: { $in: ['paid', 'sent'] } } },
      $or: [{ type: 'a' }, { type: { $startsWith: 'b' } }],
    };
    const filter = parseFilter(input);
    expect(filter).toEqual(input);
    expect(filter).not.toBe(input);
    expect(Object.isFrozen(filter)).toBe(true);
    expect(Object.isFrozen((filter.data as { object: { status: { $in: unknown } } }).object.status.$in)).toBe(true);
  });

  const OPERATORS = '$eq, $neq, $in, $nin, $exist, $gt, $gte, $lt, $lte, $startsWith, $endsWith, $or, $and, $not';
  const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });
  const ones = (n: number) => Array.from({ length: n }, () => 1);
  const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));

  it.each<[string, unknown]>([
    ['filter: must be an object', null],
    ['filter: must be an object', []],
    ['filter: must be an object', 'type'],
    ['filter: must be an object', new Date(0)],
    [
      `filter.data.object.$regex: unknown operator; the operators are ${OPERATORS}`,
      { data: { object: { $regex: 'x' } } },
    ],
    [`filter.$where: unknown operator; the operators are ${OPERATORS}`, { $where: 'x' }],
    [`filter.x.$ref: unknown operator; the operators are ${OPERATORS}`, { x: { $ref: 'y' } }],
    [`filter.x[0].$contains: unknown operator; the operators are ${OPERATORS}`, { x: [{ $contains: 'y' }] }],
    [`filter["a.b"].$Eq: unknown operator; the operators are ${OPERATORS}`, { 'a.b': { $Eq: 1 } }],
    ['filter.data.object.status.$in: must be an array or a string', { data: { object: { status: { $in: 5 } } } }],
    ['filter.s.$nin: must be an array or a string', { s: { $nin: { a: 1 } } }],
    ['filter.s.$in[1]: must be a string, a number, a boolean or null', { s: { $in: ['a', { b: 1 }] } }],
    ['filter.s.$gt: must be a number or a string', { s: { $gt: [1] } }],
    ['filter.s.$lte: must be a number or a string', { s: { $lte: null } }],
    ['filter.s.$exist: must be true or false', { s: { $exist: 'yes' } }],
    ['filter.$or: must be an array of conditions', { $or: { a: 1 } }],
    ['filter.s.$and: must be an array of conditions', { s: { $and: 'a' } }],
    ['filter.s.$startsWith: must be a string or an array of strings', { s: { $startsWith: 1 } }],
    ['filter.s.$endsWith[1]: must be a string', { s: { $endsWith: ['a', 2] } }],
    ['filter.$or[0].s.$not.$in: must be an array or a string', { $or: [{ s: { $not: { $in: true } } }] }],
    [
      'filter.s: must be a JSON value (a string, a finite number, true, false, null, an array or an object)',
      { s: undefined },
    ],
    [
      'filter.s.$eq: must be a JSON value (a string, a finite number, true, false, null, an array or an object)',
      { s: { $eq: Number.NaN } },
    ],
    [
      'filter.s[0]: must be a JSON value (a string, a finite number, true, false, null, an array or an object)',
      { s: [new Map()] },
    ],
    [`filter${'.a'.repeat(16)}: nested more than 16 levels deep`, nested(FILTER_LIMITS.depth + 1)],
    ['filter.d: the filter has more than 256 values', { a: ones(126), b: ones(126), c: 1, d: 1 }],
    ['filter: more than 64 keys', keys(65)],
    ['filter.a.$in: more than 128 items', { a: { $in: ones(129) } }],
    ['filter.a: string longer than 1024 characters', { a: 'x'.repeat(1025) }],
    ['filter.a: key longer than 1024 characters', { a: { ['k'.repeat(1025)]: 1 } }],
    [
      `filter["${'k'.repeat(64)}…"].$x: unknown operator; the operators are ${OPERATORS}`,
      { ['k'.repeat(100)]: { $x: 1 } },
    ],
    [
      'filter: longer than 16384 characters as JSON',
      Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'x'.repeat(1000)])),
    ],
  ])('refuses: %s', (message, input) => {
    expect(() => parseFilter(input)).toThrow(new FilterError(message));
    expect(() => parseFilter(input)).toThrow(FilterError);
  });

  it('accepts a filter at each bound', () => {
    expect(() => parseFilter(nested(FILTER_LIMITS.depth))).not.toThrow();
    expect(() => parseFilter({ a: ones(126), b: ones(126), c: 1 })).not.toThrow();
    expect(() => parseFilter(keys(64))).not.toThrow();
    expect(() => parseFilter({ a: { $in: ones(128) } })).not.toThrow();
    expect(() => parseFilter({ a: 'x'.repeat(1024), ['k'.repeat(1024)]: 1 })).not.toThrow();
    expect(() =>
      parseFilter(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]))),
    ).not.toThrow();
  });

  it('accepts the operators with every operand type the docs give', () => {
    const filter = {
      a: { $eq: { any: ['json', 1, null] }, $neq: null },
      b: { $in: ['x', 1, true, null], $nin: 'sub' },
      c: { $gt: 1, $gte: 'a', $lt: 2.5, $lte: 'z' },
      d: { $startsWith: ['x', 'y'], $endsWith: 'z', $exist: true },
      $or: [1, 'x', [1], { e: 1 }],
      $and: [],
      $not: { $not: 'x' },
    };
    expect(parseFilter(filter)).toEqual(filter);
  });
});

describe('matchesFilter', () => {
  it('never throws: bodies that are not JSON objects, cycles, throwing getters, deep nesting', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const getter = Object.defineProperty({}, 'a', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const filter = parseFilter({ a: 1, self: { a: { $eq: 1 } } });
    for (const body of [undefined, null, 1, 'x', [], [1], cyclic, getter, deep])
      expect(() => matchesFilter(filter, body)).not.toThrow();
    expect(matchesFilter(filter, cyclic)).toBe(true);
    expect(matchesFilter(filter, getter)).toBe(false);
    expect(matchesFilter(parseFilter({ a: 1 }), { a: deep })).toBe(false);
    expect(matchesFilter(parseFilter({ a: 1 }), { a: [[[[1]]]] })).toBe(true);
  });

  it('does not match for a filter that did not come from parseFilter and is not valid', () => {
    expect(matchesFilter({ a: { $regex: 'x' } }, { a: 'x' })).toBe(false);
    expect(matchesFilter({ $or: 'x' }, { a: 'x' })).toBe(false);
  });
});

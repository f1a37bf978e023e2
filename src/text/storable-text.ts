/**
 * Text PostgreSQL can always store. It refuses NUL in `text` and `jsonb`, and a lone UTF-16
 * surrogate in `jsonb` (the drivers turn one in `text` into U+FFFD without a word). Signed provider
 * input can carry either, so everything written from it passes through here first.
 */

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** True when `value` has no lone surrogate (what String#isWellFormed says, from ES2024). */
export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

/** True when PostgreSQL stores `value` exactly as it is. */
export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/** `value` with each NUL and each lone surrogate replaced by U+FFFD (as a UTF-8 decoder would). */
export const storableText = (value: string): string =>
  isStorableText(value) ? value : value.replace(UNSTORABLE_ALL, '\uFFFD');

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const emptyLike = (value: Container): Container => (Array.isArray(value) ? new Array<unknown>(value.length) : {});

/** Sets an own property, even one named `__proto__` (JSON.parse makes those; `=` would set the prototype). */
function put(target: Container, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/**
 * A copy of `value` with every string (object keys included) made storable, through plain objects
 * and arrays at any depth; dates, buffers and other instances are kept as they are. Iterative, so
 * a deeply nested payload cannot overflow the stack.
 */
export function storableDeep<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (!isContainer(value)) return value;
  const root = emptyLike(value);
  const pending: [Container, Container][] = [[value, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [source, target] = next;
    for (const key of Object.keys(source)) {
      const item = (source as Record<string, unknown>)[key];
      let copy: unknown = item;
      if (typeof item === 'string') copy = storableText(item);
      else if (isContainer(item)) pending.push([item, (copy = emptyLike(item))]);
      put(target, Array.isArray(source) ? key : storableText(key), copy);
    }
  }
  return root as T;
}

/**
 * Where the first string (or key) PostgreSQL cannot store sits in `value`, as a dotted path (`''`
 * for `value` itself); null when there is none. For refusing operator input with a 400 rather than
 * letting the database refuse it.
 */
export function unstorablePlace(value: unknown): string | null {
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path;
      continue;
    }
    if (!isContainer(item)) continue;
    for (const key of Object.keys(item)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (!isStorableText(key)) return at;
      pending.push([(item as Record<string, unknown>)[key], at]);
    }
  }
  return null;
}

/** The 400's words for unstorablePlace's finding. */
export const unstorableMessage = (place: string): string =>
  `${place || 'the value'}: text with a NUL character or an unpaired UTF-16 surrogate cannot be stored; nothing was changed`;

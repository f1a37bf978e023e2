import fc from 'fast-check';
import { sha256Key, storableKey } from '../../src/inbox/storable-key';
import { storableDeep, storableText } from '../../src/text/storable-text';
import { hostileText } from './arbitraries';
import { isStorableKey, storesAsIs, unstorableStrings } from './context';

/** Any JSON-like value whose strings (keys included) may hold NULs and lone surrogates. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('storable text and keys, properties', () => {
  it('storableText always gives text PostgreSQL stores as it is, and leaves such text unchanged', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const stored = storableText(text);
        expect(storesAsIs(stored)).toBe(true);
        expect(stored.length).toBe(text.length);
        if (storesAsIs(text)) expect(stored).toBe(text);
      }),
    );
  });

  it('storableKey always fits an index, keeps a short valid key, and is stable (a retry finds the same key)', () => {
    fc.assert(
      fc.property(hostileText, (key) => {
        const stored = storableKey(key);
        expect(isStorableKey(stored)).toBe(true);
        expect(storableKey(key)).toBe(stored);
        expect(storableKey(stored)).toBe(stored);
        if (isStorableKey(key)) expect(stored).toBe(key);
      }),
    );
  });

  it('distinct keys get distinct digests, even when they differ only in lone surrogates', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (a, b) => {
        fc.pre(a !== b);
        expect(sha256Key(a)).not.toBe(sha256Key(b));
      }),
    );
    expect(sha256Key('\ud800')).not.toBe(sha256Key('\ud801'));
    expect(sha256Key('é')).toBe(sha256Key(Buffer.from('é', 'utf8')));
  });

  it('storableDeep cleans every string at any depth, keeps clean values equal, and leaves its input alone', () => {
    fc.assert(
      fc.property(hostileJson, (value) => {
        const before = structuredClone(value);
        const stored = storableDeep(value);
        expect(unstorableStrings(stored)).toEqual([]);
        expect(value).toEqual(before);
        if (unstorableStrings(value).length === 0) expect(stored).toEqual(value);
      }),
    );
  });

  it('storableDeep keeps dates and buffers, own __proto__ keys, and survives nesting deeper than the stack', () => {
    const at = new Date();
    const bytes = Buffer.from('\u0000');
    const parsed = JSON.parse('{"__proto__": {"x": "a\\u0000"}}') as Record<string, unknown>;
    expect(storableDeep({ at, bytes, parsed })).toEqual({
      at,
      bytes,
      parsed: JSON.parse('{"__proto__": {"x": "a\\ufffd"}}'),
    });
    expect(Object.getPrototypeOf(storableDeep(parsed))).toBe(Object.prototype);

    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let inner = storableDeep(deep);
    for (let i = 0; i < 200_000; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe('bottom\uFFFD');
  });
});

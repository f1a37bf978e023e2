import { decodeCursor, decodeKeyset, encodeCursor, encodeKeyset } from '../../src/db/cursor';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('admin list cursors', () => {
  it('round-trip a position, keys with any characters included', () => {
    const keyset = { micros: '1796299526151123', keys: ['suppressed', 'email', 'a|b"c@example.com'] };
    expect(decodeKeyset(encodeKeyset(keyset), 3)).toEqual(keyset);
    const cursor = { micros: '-5', id: '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('refuse what this server did not write', () => {
    for (const text of [
      'bm9wZQ',
      b64('[]'),
      b64('["1","a"]'),
      b64('["1","a","b","c","d"]'),
      b64('["x1","a","b","c"]'),
      b64('["1",2,"b","c"]'),
      b64('{"micros":"1"}'),
    ]) {
      expect(decodeKeyset(text, 3)).toBeUndefined();
    }
    expect(decodeCursor(encodeKeyset({ micros: '1', keys: ['not-a-uuid'] }))).toBeUndefined();
    expect(
      decodeCursor(encodeKeyset({ micros: '1', keys: ['0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11', 'extra'] })),
    ).toBeUndefined();
  });
});

import { jsonScript } from '../../src/html/json-script';

describe('jsonScript', () => {
  it('holds any value as JSON that no text inside can close or break', () => {
    const value = { label: '</script><script>alert(1)</script>', amp: 'a & b', lines: 'x\u2028y\u2029z', n: [1, 2] };
    const { text } = jsonScript(value, 'data-chart="sms"');
    const match = /^<script type="application\/json" data-chart="sms">(.*)<\/script>$/s.exec(text);
    expect(match).not.toBeNull();
    expect(match![1]).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(match![1]!)).toEqual(value);
  });

  it('takes only a plain attribute', () => {
    expect(() => jsonScript({}, 'onload="x()"')).toThrow('not a plain attribute');
    expect(() => jsonScript({}, 'data-chart="a b"')).toThrow('not a plain attribute');
  });
});

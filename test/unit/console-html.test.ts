import { html, raw } from '../../src/html/html';
import { hourlyChart } from '../../src/admin/console/chart';
import { ago } from '../../src/html/components';

describe("the console's html template", () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<a title="${hostile}">${hostile}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    );
  });

  it('nests templates without escaping them twice; lists join; null, undefined and false print nothing', () => {
    const item = (s: string) => html`<li>${s}</li>`;
    expect(html`<ul>${['a<b', 'c'].map(item)}</ul>${null}${undefined}${false}${0}`.text).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>0',
    );
    expect(html`${raw('<br>')}`.text).toBe('<br>');
  });

  it('reads times ahead and behind', () => {
    expect([ago(90_000), ago(-3_600_000), ago(500), ago(3 * 86_400_000)]).toEqual([
      '1 min ago',
      'in 1 h',
      'just now',
      '3 d ago',
    ]);
  });

  it('draws one bar group per hour, stacked, with a scale that holds the tallest', () => {
    const now = new Date('2026-12-02T15:30:00Z');
    const svg = hourlyChart(
      [
        {
          hour: '2026-12-02T15:00:00.000Z',
          provider: 'a',
          received: 7,
          duplicates: 2,
          rejected: 1,
          failed: 2,
          dead: 1,
        },
        {
          hour: '2026-12-02T15:00:00.000Z',
          provider: 'b',
          received: 3,
          duplicates: 0,
          rejected: 0,
          failed: 0,
          dead: 0,
        },
        {
          hour: '2026-12-01T10:00:00.000Z',
          provider: 'a',
          received: 99,
          duplicates: 0,
          rejected: 0,
          failed: 0,
          dead: 0,
        }, // outside the 24 h
      ],
      24,
      now,
    ).text;
    expect(svg.match(/<g>/g)).toHaveLength(24);
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('2026-12-02 15:00 UTC — 10 stored, 2 duplicates, 1 rejected; 2 failed attempts, 1 dead');
    expect(svg).toContain('aria-label="Webhooks per hour over the last 24 hours: 13 in all"');
    expect(svg).toMatch(/>20<\/text>/); // 13 rounds up to a scale of 20
  });
});

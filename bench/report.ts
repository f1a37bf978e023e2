/** One line of the results table. `pass` is undefined for figures without a target. */
export interface Row {
  key: string;
  figure: string;
  value: string;
  target?: string;
  pass?: boolean;
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
/** CPU milliseconds per event: two decimals, as 0.1 and 0.14 differ by a third. */
export const cpuMs = (n: number) => n.toFixed(2);
export const pct = (n: number) => `${n.toFixed(0)}%`;

/** A plain-text table that reads well in a terminal and pastes into Markdown. */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.key,
    r.figure,
    r.value,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const header = ['', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

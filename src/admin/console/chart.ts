import type { HourlyCount } from '../../activity/provider-stats';
import { html, type Html } from '../../html/html';

const SERIES = [
  { key: 'received', label: 'stored', color: '#2456d6' },
  { key: 'duplicates', label: 'duplicates', color: '#9aa5b5' },
  { key: 'rejected', label: 'rejected (401)', color: '#c0262d' },
] as const;

/** Webhooks answered per hour over the last `hours` hours, every provider together, as stacked bars in inline SVG. */
export function hourlyChart(counts: readonly HourlyCount[], hours: number, now = new Date()): Html {
  const end = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const slots = Array.from({ length: hours }, (_, i) => ({
    at: end - (hours - 1 - i) * 3_600_000,
    received: 0,
    duplicates: 0,
    rejected: 0,
    failed: 0,
    dead: 0,
  }));
  for (const c of counts) {
    const slot = slots.find((s) => s.at === new Date(c.hour).getTime());
    if (!slot) continue;
    slot.received += c.received;
    slot.duplicates += c.duplicates;
    slot.rejected += c.rejected;
    slot.failed += c.failed;
    slot.dead += c.dead;
  }
  const max = Math.max(1, ...slots.map((s) => s.received + s.duplicates + s.rejected));
  const top = niceCeiling(max);
  const W = 960;
  const H = 200;
  const left = 40;
  const bottom = 22;
  const plotH = H - bottom - 8;
  const step = (W - left) / hours;
  const bar = Math.max(2, step * 0.7);
  const y = (v: number) => 8 + plotH - (v / top) * plotH;
  const total = slots.reduce((n, s) => n + s.received + s.duplicates + s.rejected, 0);
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Webhooks per hour over the last ${hours} hours: ${total} in all">
${[0, 0.5, 1].map(
  (f) =>
    html`<line x1="${left}" x2="${W}" y1="${y(top * f)}" y2="${y(top * f)}" stroke="#e3e7ed"/><text x="${left - 6}" y="${y(top * f) + 4}" text-anchor="end">${Math.round(top * f)}</text>`,
)}
${slots.map((s, i) => {
  let base = 0;
  const x = left + i * step + (step - bar) / 2;
  const label = new Date(s.at).toISOString().slice(11, 13);
  return html`<g><title>${new Date(s.at).toISOString().slice(0, 13).replace('T', ' ')}:00 UTC — ${s.received} stored, ${s.duplicates} duplicates, ${s.rejected} rejected; ${s.failed} failed attempts, ${s.dead} dead</title>${SERIES.map(
    (series) => {
      const v = s[series.key];
      if (v === 0) return '';
      const rect = html`<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${series.color}"/>`;
      base += v;
      return rect;
    },
  )}${i % 3 === 0 ? html`<text x="${(x + bar / 2).toFixed(1)}" y="${H - 6}" text-anchor="middle">${label}h</text>` : ''}</g>`;
})}
</svg>
<div class="legend">${SERIES.map((s) => html`<span><i class="swatch-${s.key}"></i>${s.label}</span>`)}<span>hours in UTC</span></div>`;
}

function niceCeiling(v: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= v) return m * magnitude;
  return 10 * magnitude;
}

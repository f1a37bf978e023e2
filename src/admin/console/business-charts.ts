import type { BusinessFigures } from '../../figures/business';
import { html, type Html } from '../../html/html';
import { jsonScript } from '../../html/json-script';
import { chartAssets } from './assets';

interface Series {
  key: string;
  label: string;
  color: Color;
  /** Drawn as a shaded area under the lines (the total the others are part of). */
  area?: boolean;
}

/** Each colour with the class of its legend swatch (the CSP allows no inline style). */
const COLORS = { green: '#17803d', amber: '#a15c00', red: '#c0262d', blue: '#2456d6', purple: '#5b4bc4' } as const;
type Color = keyof typeof COLORS;

interface Chart {
  id: string;
  title: string;
  series: readonly Series[];
  /** Per day: the day and a count per series key. */
  days: readonly ({ day: string } & Record<string, number | string>)[];
}

/** The three per-day charts of the business figures. */
function chartsOf(f: BusinessFigures): Chart[] {
  return [
    {
      id: 'sms',
      title: 'Text messages per day',
      series: [
        { key: 'delivered', label: 'delivered', color: 'green' },
        { key: 'undelivered', label: 'undelivered', color: 'amber' },
        { key: 'failed', label: 'failed', color: 'red' },
      ],
      days: f.sms.perDay,
    },
    {
      id: 'email',
      title: 'Emails per day',
      series: [
        { key: 'sent', label: 'sent', color: 'blue', area: true },
        { key: 'delivered', label: 'delivered', color: 'green' },
        { key: 'opened', label: 'opened', color: 'purple' },
      ],
      days: f.email.perDay,
    },
    {
      id: 'leads',
      title: 'Leads per day',
      series: [{ key: 'created', label: 'created', color: 'blue', area: true }],
      days: f.leads.perDay,
    },
  ];
}

/**
 * A card per chart: the box uPlot draws in, its legend (shown once drawn), its data as JSON, and
 * the same numbers as a table, open until the script has drawn the chart (so the page reads the
 * same without JavaScript).
 */
function chartCard(chart: Chart): Html {
  const data = {
    days: chart.days.map((d) => d.day),
    series: chart.series.map(({ label, color, area }) => ({ label, color: COLORS[color], area: area ?? false })),
    values: chart.series.map((s) => chart.days.map((d) => Number(d[s.key]))),
  };
  return html`<div class="card" id="chart-${chart.id}">
<h3>${chart.title}</h3>
<div class="chart-box" role="img" aria-label="${chart.title} (UTC days)"></div>
<div class="legend" hidden>${chart.series.map((s) => html`<span><i class="swatch-${s.color}"></i>${s.label}</span>`)}<span>days in UTC</span></div>
${jsonScript(data, `data-chart="${chart.id}"`)}
<details open><summary>The numbers</summary>
<table><thead><tr><th>Day (UTC)</th>${chart.series.map((s) => html`<th class="num">${s.label}</th>`)}</tr></thead>
<tbody>${chart.days.map(
    (d) => html`<tr><td>${d.day}</td>${chart.series.map((s) => html`<td class="num">${d[s.key]}</td>`)}</tr>`,
  )}</tbody></table>
</details>
</div>`;
}

/** The charts with the library and the script that draws them (deferred, in order, after the page). */
export function businessCharts(figures: BusinessFigures, root: string): Html {
  const { library, libraryStyles, script } = chartAssets;
  return html`<link rel="stylesheet" href="${root}/assets/${libraryStyles.name}">
<script src="${root}/assets/${library.name}" defer></script>
<script src="${root}/assets/${script.name}" defer></script>
<div class="charts">${chartsOf(figures).map(chartCard)}</div>`;
}

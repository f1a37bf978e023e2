import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Config } from '../../../config/config';
import type { Db } from '../../../db/client';
import type { QueueStats } from '../../../inbox/stats';
import { storedProviderNames, type ProviderRegistry } from '../../../contract/provider';
import { version } from '../../../config/version';
import { errorMessage } from '../../../errors/error-message';
import { hourlyCounts, providerStats } from '../../../activity/provider-stats';
import { hourlyChart } from '../chart';
import { badge, duration } from '../../../html/components';
import { html, type Html } from '../../../html/html';
import { businessFigures } from '../../../figures/business';
import type { BusinessWindow } from '../../../figures/days';
import { businessSection } from './business';

export interface OverviewOptions {
  config: Config;
  db: Db;
  logger: Logger;
  providers: ProviderRegistry;
  queue: () => Promise<QueueStats>;
  startedAt?: Date;
  root: string;
  /** The window of the business figures. */
  window?: BusinessWindow;
}

const CHART_HOURS = 24;

/** Health as /health knows it, the queue, each provider's last 24 hours with a chart, and the business figures. */
export async function overviewPage(o: OverviewOptions): Promise<Html> {
  // Run-time instances stand for themselves (source:<name>); without the database, the registry's names.
  const names = await storedProviderNames(o.providers, o).catch(() => Object.keys(o.providers));
  let latencyMs: number | null = null;
  try {
    const started = process.hrtime.bigint();
    await o.db.execute(sql`select 1`);
    latencyMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  } catch (err) {
    o.logger.warn('console: database unavailable', { error: errorMessage(err) });
  }
  if (latencyMs === null) {
    return html`<h1>Overview</h1><p class="notice error">The database does not answer: webhooks get 503 (providers retry) until it is back.</p>`;
  }
  const [queue, stats, hourly, business] = await Promise.all([
    o.queue(),
    providerStats(o.db, '24h', names),
    hourlyCounts(o.db, CHART_HOURS),
    businessFigures(o.db, o.providers, o.window ?? '7d'),
  ]);
  const uptime = duration(o.startedAt ? Date.now() - o.startedAt.getTime() : process.uptime() * 1000);
  return html`<h1>Overview</h1>
<div class="grid">
<div class="stat"><b>${badge('ok', 'ok')}</b><span>database ${latencyMs} ms · Hookport ${version} · up ${uptime}</span></div>
<div class="stat"><b>${queue.pending}</b><span>pending</span></div>
<div class="stat"><b>${queue.processing}</b><span>processing</span></div>
<div class="stat"><b>${queue.failed}</b><span>failed, waiting to retry</span></div>
<div class="stat"><b><a href="${o.root}/dead">${queue.dead}</a></b><span>dead</span></div>
<div class="stat"><b>${duration(queue.oldestPendingSeconds * 1000)}</b><span>oldest unfinished</span></div>
</div>
<h2>Last 24 hours</h2>
<div class="card">${hourlyChart(hourly, CHART_HOURS)}</div>
<table>
<thead><tr><th>Provider</th><th class="num">Received</th><th class="num">Duplicates</th><th class="num">Rejected</th><th class="num">Processed</th><th class="num">Failed</th><th class="num">Dead</th><th class="num">Delay p50</th><th class="num">Delay p99</th></tr></thead>
<tbody>${names.map((name) => {
    const s = stats.providers[name]!;
    const link = (status: string, n: number) =>
      n > 0 ? html`<a href="${o.root}/events?provider=${name}&amp;status=${status}">${n}</a>` : html`${n}`;
    return html`<tr><td><a href="${o.root}/events?provider=${name}">${name}</a></td>
<td class="num">${s.received}</td><td class="num">${s.duplicates}</td><td class="num">${s.rejected}</td>
<td class="num">${s.byStatus.processed}</td><td class="num">${link('failed', s.byStatus.failed)}</td><td class="num">${link('dead', s.byStatus.dead)}</td>
<td class="num">${duration(s.p50Ms)}</td><td class="num">${duration(s.p99Ms)}</td></tr>`;
  })}</tbody></table>
${businessSection(business, o.root)}`;
}

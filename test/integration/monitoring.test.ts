import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilio } from '../helpers/webhooks';

/**
 * The shipped monitoring (deploy/prometheus, deploy/grafana) holds together: promtool accepts the
 * rules and their tests, and every metric they name is on a live /metrics. One database kind is
 * enough: the metric names and their exposition do not depend on it.
 */

const ROOT = path.join(__dirname, '..', '..');
const RULES = path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
const RULE_TESTS = path.join(ROOT, 'deploy', 'prometheus', 'alerts.test.yml');
const DASHBOARD = path.join(ROOT, 'deploy', 'grafana', 'hookport.json');
const METRICS_TOKEN = 'metrics-token-for-the-monitoring-0123456789';

interface Promtool {
  status: number | null;
  output: string;
}

/** Runs promtool, or says plainly that it is missing (`undefined`): the `what` check is then skipped. */
function promtool(what: 'rules' | 'dashboard' | 'metrics', args: string[], input?: string): Promtool | undefined {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8', cwd: ROOT });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    console.warn(`promtool not installed: the ${what} check was skipped (promtool ${args.join(' ')})`);
    return undefined;
  }
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
}

/** Hookport metric names in a text (rule expressions and runbooks alike). */
const hookportNames = (text: string): string[] => [...new Set(text.match(/\bhookport_[a-z0-9_]+/g) ?? [])];

/** Every series name a scrape exposes: its samples, and each family's (a histogram's _bucket/_sum/_count too). */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const family = /^# TYPE (\S+) (\S+)/.exec(line);
    if (family) {
      const [, name, type] = family as unknown as [string, string, string];
      names.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    } else if (line !== '' && !line.startsWith('#')) {
      names.add(line.split(/[{ ]/, 1)[0] as string);
    }
  }
  return names;
}

describe('the shipped Prometheus rules', () => {
  it('pass promtool check rules', () => {
    const run = promtool('rules', ['check', 'rules', RULES]);
    if (run) expect(run).toMatchObject({ status: 0, output: expect.stringContaining('SUCCESS: 7 rules found') });
  });

  it('pass their own promtool test rules cases', () => {
    const run = promtool('rules', ['test', 'rules', RULE_TESTS]);
    if (run) expect(run).toMatchObject({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('have a case where each rule fires and one where it does not', () => {
    const rules = [...readFileSync(RULES, 'utf8').matchAll(/^\s+- alert: (\S+)$/gm)].map((m) => m[1] as string);
    const tests = readFileSync(RULE_TESTS, 'utf8');
    expect(rules).toHaveLength(7);
    for (const rule of rules) {
      const cases = [...tests.matchAll(new RegExp(`alertname: ${rule}\\n\\s+exp_alerts:(.*)$`, 'gm'))];
      expect({ rule, quiet: cases.some((m) => m[1] === ' []') }).toEqual({ rule, quiet: true });
      expect({ rule, fires: cases.some((m) => m[1] === '') }).toEqual({ rule, fires: true });
    }
  });
});

describe('the shipped Grafana dashboard', () => {
  it('has valid PromQL in every panel (checked as recording rules by promtool)', () => {
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThanOrEqual(7);
    // $__rate_interval is Grafana's; any range stands in for it. A JSON string is a YAML scalar.
    const rules = expressions.map(
      (expr, i) =>
        `      - record: dashboard:expr${i}\n        expr: ${JSON.stringify(expr.replaceAll('$__rate_interval', '5m'))}`,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'hookport-dashboard-'));
    try {
      const file = path.join(dir, 'dashboard.rules.yml');
      writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      const run = promtool('dashboard', ['check', 'rules', file]);
      if (run) expect(run).toMatchObject({ status: 0, output: expect.stringContaining('SUCCESS') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the metrics the shipped monitoring names, on a live /metrics', () => {
  const h = suiteHarness('pglite', { METRICS_TOKEN, HEALTH_CACHE_MS: '0' });
  let scraped = '';

  beforeAll(async () => {
    // One webhook, processed, so the labelled series of ingest and processing appear.
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    const res = await h.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    scraped = res.text;
  });

  it('has every metric the rules and the dashboard name', () => {
    const exposed = exposedNames(scraped);
    const named = hookportNames([readFileSync(RULES, 'utf8'), ...dashboardExpressions()].join('\n'));
    expect(named.length).toBeGreaterThanOrEqual(7);
    expect(named.filter((name) => !exposed.has(name))).toEqual([]);
  });

  it("passes promtool check metrics on Hookport's own lines", () => {
    const own = scraped
      .split('\n')
      .filter((line) => /^(# (HELP|TYPE) )?hookport_/.test(line))
      .join('\n');
    expect(own).toContain('hookport_webhooks_received_total{');
    // promtool reports nothing on these lines today, so no warning is allowed either.
    const run = promtool('metrics', ['check', 'metrics'], `${own}\n`);
    if (run) expect(run).toEqual({ status: 0, output: '' });
  });
});

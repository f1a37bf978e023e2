import { formatTable, int, type Row } from '../report';
import type { GatewayExit } from './gateway';
import type { InboxCheck } from './inbox';
import type { Traffic } from './traffic';

export interface Fault {
  name: string;
  startedAt: number;
  /** When the gateway was started again, or PostgreSQL. */
  repairedAt: number;
  /** The first 200 to a request sent after the fault began. */
  firstAckAt?: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line per fault: how long it was held, and how soon after the repair webhooks got 200 again. */
export function formatFaults(faults: readonly Fault[]): string {
  return formatTable(
    faults.map((f) => ({
      key: f.name.split(' ')[0]!,
      figure: f.name.slice(f.name.indexOf(' ') + 1),
      value:
        `down ${seconds(f.repairedAt - f.startedAt)}; first 200 ` +
        (f.firstAckAt === undefined ? 'never' : `${seconds(f.firstAckAt - f.repairedAt)} after the restart`),
    })),
  );
}

export interface Figures {
  traffic: Traffic;
  trafficSeconds: number;
  allAcknowledged: boolean;
  drained: boolean;
  drainSeconds: number;
  inbox: InboxCheck;
  unexpected: readonly GatewayExit[];
  shutdownCode: number | null;
  jobberTokenRefreshes: number;
}

const zero = (key: string, figure: string, n: number): Row => ({
  key,
  figure,
  value: int(n),
  target: '0',
  pass: n === 0,
});

export function formatFigures(f: Figures): string {
  const c = f.traffic.counts;
  return formatTable([
    {
      key: 'acks',
      figure: `deliveries answered 200 (${int(c.duplicate)} more were retries answered "duplicate")`,
      value: `${int(f.inbox.acknowledged)} in ${f.trafficSeconds.toFixed(0)} s`,
    },
    { key: '503', figure: 'answers 503 (provider retries)', value: int(c.unavailable) },
    { key: 'refused', figure: 'connections refused (gateway down)', value: int(c.refused) },
    { key: 'reset', figure: 'connections cut mid-request / timed out', value: `${int(c.reset)} / ${int(c.timeout)}` },
    { key: 'other', figure: 'other answers (4xx, 500, …)', value: int(c.other) },
    {
      key: 'retried',
      figure: 'every delivery acknowledged in the end',
      value: f.allAcknowledged ? 'yes' : 'no',
      target: 'yes',
      pass: f.allAcknowledged,
    },
    {
      key: 'drain',
      figure: 'queue drained after the traffic',
      value: f.drained ? `yes, in ${f.drainSeconds.toFixed(0)} s` : 'no',
      target: 'yes',
      pass: f.drained,
    },
    {
      key: 'jobber',
      figure: 'Jobber token refreshes (each holds a transaction open)',
      value: int(f.jobberTokenRefreshes),
    },
    {
      key: 'inbox',
      figure: 'webhook_events by status',
      value: Object.entries(f.inbox.byStatus)
        .map(([s, n]) => `${s} ${int(n)}`)
        .join(', '),
    },
    zero('lost', 'acknowledged but not stored', f.inbox.lost.length),
    zero('stuck', 'acknowledged but not processed/ignored', f.inbox.stuck.length),
    zero('exits', 'gateway exits it was not asked for', f.unexpected.length),
    {
      key: 'shutdown',
      figure: 'exit code after SIGTERM at the end',
      value: String(f.shutdownCode),
      target: '0',
      pass: f.shutdownCode === 0,
    },
  ]);
}

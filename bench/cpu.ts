import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime, stime, cutime, cstime and ppid of a process, from /proc/<pid>/stat. */
function procStat(pid: number): { own: number; reaped: number; ppid: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone
  }
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    own: (f[11]! + f[12]!) / CLOCK_TICKS_PER_SECOND,
    reaped: (f[13]! + f[14]!) / CLOCK_TICKS_PER_SECOND,
    ppid: f[1]!,
  };
}

/** CPU seconds (user + system) one process has used so far. */
export function processCpuSeconds(pid: number): number {
  return procStat(pid)?.own ?? NaN;
}

/** CPU seconds of a server and all its children, live or exited (PostgreSQL: postmaster and backends). */
export function processTreeCpuSeconds(rootPid: number): number {
  const root = procStat(rootPid);
  if (!root) return NaN;
  let total = root.own + root.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = procStat(Number(entry));
    if (child?.ppid === rootPid) total += child.own;
  }
  return total;
}

/** Busy and total CPU ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export interface CpuShare {
  /** The server process (all of them, when several were measured), in percent of one core. */
  serverPercentOfCore: number;
  /** Each server process measured, in the order given, in percent of one core. */
  perServerPercentOfCore: number[];
  /** PostgreSQL (postmaster and backends), in percent of one core. */
  postgresPercentOfCore: number;
  /** This process (the load generator), in percent of one core. */
  loadPercentOfCore: number;
  /** All cores busy, in percent of the whole machine (PostgreSQL included). */
  machinePercent: number;
}

type Measurable = { cpuSeconds(): number };

/** Starts measuring one server process or several; the returned function gives the CPU shares since then. */
export function measureCpu(server: Measurable | readonly Measurable[], postgresPid: number): () => CpuShare {
  const servers = Array.isArray(server) ? (server as readonly Measurable[]) : [server as Measurable];
  const started = {
    wall: process.hrtime.bigint(),
    servers: servers.map((s) => s.cpuSeconds()),
    postgres: processTreeCpuSeconds(postgresPid),
    load: process.cpuUsage(),
    machine: machineTicks(),
  };
  return () => {
    const wallSeconds = Number(process.hrtime.bigint() - started.wall) / 1e9;
    const load = process.cpuUsage(started.load);
    const machine = machineTicks();
    const perServer = servers.map((s, i) => ((s.cpuSeconds() - started.servers[i]!) / wallSeconds) * 100);
    return {
      serverPercentOfCore: perServer.reduce((a, b) => a + b, 0),
      perServerPercentOfCore: perServer,
      postgresPercentOfCore: ((processTreeCpuSeconds(postgresPid) - started.postgres) / wallSeconds) * 100,
      loadPercentOfCore: ((load.user + load.system) / 1e6 / wallSeconds) * 100,
      machinePercent:
        ((machine.busy - started.machine.busy) / Math.max(1, machine.total - started.machine.total)) * 100,
    };
  };
}

export const cores = os.cpus().length;

/** How busy the machine is with nothing of ours running: other work makes every figure lower. */
export async function backgroundBusyPercent(ms = 1000): Promise<number> {
  const before = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  const after = machineTicks();
  return ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * 100;
}

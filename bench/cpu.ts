import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ServerChild } from './child';

/** Busy and total CPU ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export interface CpuShare {
  /** The server process, in percent of one core. */
  serverPercentOfCore: number;
  /** This process (the load generator), in percent of one core. */
  loadPercentOfCore: number;
  /** All cores busy, in percent of the whole machine (PostgreSQL included). */
  machinePercent: number;
}

/** Starts measuring; the returned function gives the CPU shares since then. */
export function measureCpu(server: ServerChild): () => CpuShare {
  const started = { wall: process.hrtime.bigint(), server: server.cpuSeconds(), load: process.cpuUsage(), machine: machineTicks() };
  return () => {
    const wallSeconds = Number(process.hrtime.bigint() - started.wall) / 1e9;
    const load = process.cpuUsage(started.load);
    const machine = machineTicks();
    return {
      serverPercentOfCore: ((server.cpuSeconds() - started.server) / wallSeconds) * 100,
      loadPercentOfCore: ((load.user + load.system) / 1e6 / wallSeconds) * 100,
      machinePercent:
        ((machine.busy - started.machine.busy) / Math.max(1, machine.total - started.machine.total)) * 100,
    };
  };
}

export const cores = os.cpus().length;

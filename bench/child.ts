import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { processCpuSeconds } from './cpu';
import { ChildLog } from './child-log';

/** A server under test, run as its own process so the load generator never shares its event loop. */
export interface ServerChild {
  name: string;
  pid: number;
  url: string;
  /** Peak resident memory so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

function procStatus(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) : NaN; // kB
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Starts `node script` with exactly `env` (plus PATH), and waits until `readyPath` answers 200. The
 * child's stdout and stderr go to a temporary file (see ChildLog), not the bench's terminal; its tail
 * is printed if the child exits other than by our SIGTERM with code 0.
 */
export async function startServerChild(
  name: string,
  script: string,
  port: number,
  env: Record<string, string>,
  readyPath = '/health/live',
  /** The node flags the server runs with in production (Hookport's: production-flags.ts). */
  productionNodeArgs: readonly string[] = [],
): Promise<ServerChild> {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the servers under load.
  const nodeArgs = [...productionNodeArgs, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')];
  const log = new ChildLog(`${name.replace(/\W+/g, '-')}-${port}`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', log.fd, log.fd],
  });
  log.closeInParent();
  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code === 0 || (stopping && code === null && signal === 'SIGTERM')) log.remove();
      else
        log.report(
          `${name} (pid ${child.pid}) exited with ${code === null ? `signal ${signal}` : `code ${code}`}${stopping ? ' while stopping' : ''}`,
        );
      resolve(code);
    }),
  );
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while ((await get(url + readyPath)) !== 200) {
    if (exitCode !== undefined) throw new Error(`${name} exited with code ${exitCode} before it was ready`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    name,
    pid,
    url,
    peakRssMiB: () => procStatus(pid, 'VmHWM') / 1024,
    cpuSeconds: () => processCpuSeconds(pid),
    stop: async (graceMs = 10_000) => {
      if (exitCode !== undefined) return exitCode;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { PRODUCTION_NODE_FLAGS } from '../production-flags';

/** How one gateway process ended; `expected` when this run killed or stopped it. */
export interface GatewayExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;
  at: number;
}

function live(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health/live', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * The real gateway (node dist/src/server.js, with production's flags) as a child process on a fixed port, so it can be
 * killed
 * and started again where the traffic expects it. Its output goes straight to a log file (not
 * through this process, which may block for a moment on pg_ctl). Every exit is recorded.
 */
export class Gateway {
  readonly exits: GatewayExit[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectExit = false;
  /**
   * Called when a gateway that was serving exits without being asked to (one that fails to start makes start() throw).
   */
  onCrash: (() => void) | undefined;

  constructor(
    private readonly script: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly logPath: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts a process and waits until it serves /health/live; throws if it exits or hangs first. */
  async start(timeoutMs = 60_000): Promise<void> {
    const log = openSync(this.logPath, 'a');
    const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, this.script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.expectExit = false;
    let ready = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const expected = this.expectExit;
        this.exits.push({ pid: child.pid ?? 0, code, signal, expected, at: Date.now() });
        if (this.child === child) this.child = undefined;
        resolve();
        if (!expected && ready) this.onCrash?.();
      }),
    );
    const deadline = Date.now() + timeoutMs;
    while (!(await live(this.port))) {
      if (this.child !== child) throw new Error('the gateway exited before it was ready');
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`the gateway was not ready within ${timeoutMs / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    ready = true;
  }

  /** kill -9: no shutdown, no drain; whatever it held is recovered by leases. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.expectExit = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (graceful shutdown), then SIGKILL after `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    this.expectExit = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    return this.exits[this.exits.length - 1]!.code;
  }

  /** The last lines the gateways wrote, for a report on an unexpected exit. */
  logTail(lines = 20): string {
    return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }
}

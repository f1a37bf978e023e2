import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { logCaptureEnv } from './log-capture';

const ROOT = path.resolve(__dirname, '../..');
/** TypeScript run directly, as `npm start` and `npm run hookport` run the built JavaScript. */
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Its JSON log lines, as parsed so far. */
  lines: Record<string, unknown>[];
  /** Everything it wrote to stderr so far. */
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start`'s entry point (src/server.ts) as its own process, listening on a free loopback port.
 * `env` is all it gets besides PATH. Rejects, with its stderr, if it exits before listening.
 */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...TS_NODE, 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...logCaptureEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const lines: Record<string, unknown>[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const complete = text.split('\n');
      text = complete.pop()!;
      for (const line of complete) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed.message === 'hookport listening') resolve(Number(parsed.port));
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
  return { child, port, lines, stderr: () => stderr, exited };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hookport <args…>` (src/cli/index.ts) as its own process with exactly `env` (and PATH). */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<Finished> {
  const child = spawn(process.execPath, [...TS_NODE, 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...logCaptureEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli';
import type { Harness } from './harness';
import { providerTestEnv } from './test-secrets';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `hookport <argv…>` in this process with exactly `env`, collecting what it prints. Its stdin is
 * `input`: by default an empty stream that is not a terminal (never the test runner's own stdin).
 */
export async function hookport(
  argv: string[],
  env: Record<string, string | undefined>,
  input: NodeJS.ReadableStream & { isTTY?: boolean } = new PassThrough(),
): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let outText = '';
  let errText = '';
  out.on('data', (chunk: Buffer) => (outText += chunk.toString('utf8')));
  err.on('data', (chunk: Buffer) => (errText += chunk.toString('utf8')));
  const code = await runCli(argv, out, { err, env: { LOG_LEVEL: 'error', ...env }, input });
  return { code, out: outText, err: errText };
}

/** The settings the harness runs with (every provider configured), for a CLI that signs as it expects. */
export const cliEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  DATA_DIR: 'memory://',
  ...providerTestEnv(),
  ...extra,
});

/** The harness's app on a loopback port, as a running Hookport; returns its URL and a closer. */
export async function listen(h: Harness): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = h.runtime.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** For running a provider command directly when it must not reach a server's admin API. */
export const unusedAdminApi = (): never => {
  throw new Error('this command was not expected to call the admin API');
};

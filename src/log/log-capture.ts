import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';

/**
 * Set by the test suite only (test/helpers/global-setup.ts): a directory where every process
 * appends every line it logs, at every level, so the suite can scan them all for secrets.
 */
export const LOG_CAPTURE_DIR_ENV = 'HOOKPORT_LOG_CAPTURE_DIR';

/** This process's capture file, or undefined outside the test suite. */
export function logCaptureFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env[LOG_CAPTURE_DIR_ENV];
  return dir ? join(dir, `${process.pid}.log`) : undefined;
}

/**
 * A transport taking every level that appends each line synchronously: a process that exits (or
 * is killed) right after logging must not take an unscanned line with it.
 */
export function captureTransport(file: string): winston.transport {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      appendFileSync(file, chunk);
      done();
    },
  });
  return new winston.transports.Stream({ stream: sink, level: 'silly' });
}

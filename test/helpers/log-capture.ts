import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_CAPTURE_DIR_ENV, logCaptureFile } from '../../src/log/log-capture';

/**
 * The test processes' side of the suite-wide log capture. Each process appends to files named by
 * its pid in one directory per run: `<pid>.log` (every line logged, written by src/logger.ts, and
 * the test-file markers below), `<pid>.secrets` (secrets known only at run time) and
 * `<pid>.expect` (how many debug lines the run must have captured). global-teardown.ts scans them.
 */
export const logCaptureDir = (): string | undefined => process.env[LOG_CAPTURE_DIR_ENV] || undefined;

/** Global setup: a fresh directory for this run; jest's workers and their children inherit it. */
export function startLogCapture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookport-logs-'));
  process.env[LOG_CAPTURE_DIR_ENV] = dir;
  return dir;
}

/** For a child process spawned with an env of its own: its log lines stay in the scan. */
export function logCaptureEnv(): Record<string, string> {
  const dir = logCaptureDir();
  return dir ? { [LOG_CAPTURE_DIR_ENV]: dir } : {};
}

function append(extension: string, line: string): void {
  const dir = logCaptureDir();
  if (dir) appendFileSync(join(dir, `${process.pid}.${extension}`), `${line}\n`);
}

/** A secret the scan must look for that exists only at run time, e.g. a token a fake issued. */
export function registerSecret(kind: string, value: string): void {
  if (value) append('secrets', JSON.stringify({ kind, value }));
}

/** Shorter values are test placeholders ("x", "wrong"), not secrets, and would match anywhere. */
const MIN_SECRET_LENGTH = 8;

/** Values of variables named like credentials (…_TOKEN, …_SECRET, …_PASSWORD, HOOKPORT_ENCRYPTION_KEY; lists split on commas). */
export function registerSecretsIn(env: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(env)) {
    if (!/(TOKEN|SECRET|PASSWORD|ENCRYPTION_KEY)$/.test(name) || !value) continue;
    for (const part of value.split(',').map((v) => v.trim())) {
      if (part.length >= MIN_SECRET_LENGTH) registerSecret(name, part);
    }
  }
}

/** The capture must hold at least `count` more debug lines (the worker logs one per processed event). */
export function expectDebugLines(count: number): void {
  if (count > 0) append('expect', String(count));
}

/** A marker in this process's capture: the lines after it were logged while this test ran. */
export function markTest(testFile: string, test?: string): void {
  const file = logCaptureFile();
  if (file) appendFileSync(file, `${JSON.stringify({ captureMarker: true, testFile, test })}\n`);
}

import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How much of a failed child's output the bench prints. */
const TAIL_BYTES = 4096;

let dir: string | undefined;

function logDir(): string {
  if (!dir) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hookport-bench-logs-'));
    // Left only when a child failed (its log is kept for reading); otherwise empty, so removed.
    process.once('exit', () => {
      try {
        rmdirSync(dir!);
      } catch {
        // not empty: a failed child's log is kept
      }
    });
  }
  return dir;
}

/**
 * A server child's stdout and stderr, written to a temporary file by the child itself (no pipe, so
 * the load generator spends nothing on reading it, and Hookport logs at `info` as in production
 * without flooding the report). Removed after a clean exit; after any other exit its last few KiB
 * are printed to the bench's stderr and the file is kept.
 */
export class ChildLog {
  readonly file: string;
  readonly fd: number;

  constructor(name: string) {
    this.file = path.join(logDir(), `${name}.log`);
    this.fd = openSync(this.file, 'w');
  }

  /** The child holds its own copy of the descriptor once spawned. */
  closeInParent(): void {
    closeSync(this.fd);
  }

  remove(): void {
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }

  report(what: string): void {
    let tail: string;
    try {
      const size = statSync(this.file).size;
      const length = Math.min(size, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      const fd = openSync(this.file, 'r');
      try {
        readSync(fd, buffer, 0, length, size - length);
      } finally {
        closeSync(fd);
      }
      tail = buffer.toString('utf8');
    } catch (err) {
      tail = `(could not read ${this.file}: ${(err as Error).message})`;
    }
    process.stderr.write(
      `bench: ${what}; last ${TAIL_BYTES / 1024} KiB of its output (all of it in ${this.file}):\n${tail}\n`,
    );
  }
}

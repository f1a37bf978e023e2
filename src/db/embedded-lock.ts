import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE_NAME = 'hookport.lock';

/** Who holds an embedded data directory, as written in its lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** The embedded data directory is open in another process (or already in this one). */
export class EmbeddedLockError extends Error {
  override name = 'EmbeddedLockError';
}

export interface EmbeddedLock {
  path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** Lock files this process holds: a file naming our own pid but not listed here is a predecessor's. */
const held = new Set<string>();

/**
 * Takes DATA_DIR/hookport.lock, created with O_EXCL, so only one process ever opens an embedded
 * data directory: PGlite has no protection of its own, and two openers corrupt it. A lock left by a
 * process that died on this host (kill -9, crash, a container restarted with the same pid) is taken
 * over; any other is refused with an error that says who holds it and what to do.
 */
export function acquireEmbeddedLock(dataDir: string): EmbeddedLock {
  const file = path.resolve(dataDir, LOCK_FILE_NAME);
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const content = JSON.stringify(owner) + '\n';
  // Two rounds: the second follows the removal of a stale lock.
  for (let round = 0; round < 2; round++) {
    if (createExclusive(file, content)) return hold(file, content);
    const current = readLock(file);
    if (current === undefined) continue; // removed meanwhile: try again
    if (!isStale(file, current.owner)) throw new EmbeddedLockError(heldMessage(dataDir, file, current.owner));
    removeIfUnchanged(file, current.text);
  }
  const current = readLock(file);
  throw new EmbeddedLockError(heldMessage(dataDir, file, current?.owner));
}

/**
 * Who holds DATA_DIR/hookport.lock now, without taking it: undefined when no lock is there or the
 * one there is provably stale (its process is gone from this host). An unreadable lock is held.
 */
export function embeddedLockHolder(dataDir: string): { owner: LockOwner | undefined } | undefined {
  const file = path.resolve(dataDir, LOCK_FILE_NAME);
  const current = readLock(file);
  if (current === undefined || isStale(file, current.owner)) return undefined;
  return { owner: current.owner };
}

function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function hold(file: string, content: string): EmbeddedLock {
  held.add(file);
  // A process that exits without closing (an uncaught error) leaves nothing open: drop the lock too.
  const onExit = () => release();
  process.once('exit', onExit);
  let released = false;
  function release() {
    if (released) return;
    released = true;
    held.delete(file);
    process.removeListener('exit', onExit);
    const current = readLock(file);
    if (current?.text === content) unlinkQuietly(file);
  }
  return { path: file, release };
}

function readLock(file: string): { text: string; owner: LockOwner | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { text, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(value.pid) && typeof value.hostname === 'string') {
      return { pid: value.pid!, hostname: value.hostname, startedAt: String(value.startedAt ?? 'unknown') };
    }
  } catch {
    // unreadable: treated as held, the operator decides
  }
  return undefined;
}

/** Stale only when provably dead: on this host, and its pid is gone (or is ours, but not held by us). */
function isStale(file: string, owner: LockOwner | undefined): boolean {
  if (!owner || owner.hostname !== os.hostname()) return false;
  if (owner.pid === process.pid) return !held.has(file);
  return !isAlive(owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the stale lock only if it is still the one judged stale: it is first moved aside
 * atomically, and if what was moved turns out to be a fresh lock (another process took over in
 * between), it is put back.
 */
function removeIfUnchanged(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readLock(aside);
  if (moved && moved.text !== staleText) {
    try {
      linkSync(aside, file); // fails if yet another lock appeared: that one stands
    } catch {
      // nothing to restore
    }
  }
  unlinkQuietly(aside);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function heldMessage(dataDir: string, file: string, owner: LockOwner | undefined): string {
  const who = owner
    ? `process ${owner.pid} on host ${owner.hostname} (since ${owner.startedAt})`
    : 'another process (the lock file is unreadable)';
  return (
    `the embedded database in ${dataDir} is in use by ${who}. Only one process may open it: ` +
    'stop that process first (e.g. the running Hookport server), or set DATABASE_URL to use PostgreSQL, ' +
    `which any number of processes can share. If no such process is running any more, delete ${file}.`
  );
}

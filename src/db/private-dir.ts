import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Makes the embedded database's directory its owner's alone: mode 0700 (an existing directory is
 * tightened too), and a umask of 077 from here on, so the directories PGlite makes are 0700. Its
 * WAL holds every secret the database stores.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  process.umask(process.umask() | 0o077);
}

/**
 * PGlite sets its files' mode itself (0666, whatever the umask): the directories keep others out,
 * and this takes the group's and others' bits off every file and directory already there, so a
 * copy that keeps modes (a backup) does not open them again.
 */
export function tightenTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(p, 0o700);
      tightenTree(p);
    } else if (entry.isFile()) chmodSync(p, 0o600);
  }
}

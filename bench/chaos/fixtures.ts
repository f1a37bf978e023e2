import { existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * The test helpers and fakes read their fixtures beside their own compiled files (dist/test/fixtures),
 * which the build does not copy: link that folder to the sources once, before any is read.
 */
export function linkFixturesIntoDist(dist: string): void {
  const target = path.join(dist, 'test', 'fixtures');
  if (existsSync(target)) return;
  const source = path.join(dist, '..', 'test', 'fixtures');
  if (!existsSync(source)) throw new Error(`no fixtures at ${source}`);
  symlinkSync(source, target, 'dir');
}

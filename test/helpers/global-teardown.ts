import { rmSync } from 'node:fs';
import type { Config } from '@jest/types';
import { logCaptureDir } from './log-capture';
import { captureProblems, captureVolume, readCapture } from './secret-scan';

const MAX_PROBLEMS_SHOWN = 30;

/**
 * Stops the throwaway PostgreSQL, then scans every line logged during the run for every secret.
 * A leak fails the run: jest exits 1 when its global teardown throws.
 */
export default async function globalTeardown(globalConfig: Config.GlobalConfig): Promise<void> {
  (globalThis as { __hookportPg?: { destroy(): void } }).__hookportPg?.destroy();
  const dir = logCaptureDir();
  if (!dir) return;
  const capture = readCapture(dir);
  const problems = captureProblems(capture, { wholeSuite: isWholeSuite(globalConfig) });
  const volume = captureVolume(capture);
  process.stdout.write(
    `\nLog secret scan: ${volume.lines} lines (${volume.debug} debug, ${volume.webhooks} ingest) from ` +
      `${capture.logs.length} processes, ${capture.secrets.length} secrets: ` +
      `${problems.length === 0 ? 'clean' : `${problems.length} problems`}\n`,
  );
  if (problems.length > 0) {
    // Kept so the leaking lines can be read; it holds only the suite's own test secrets.
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    throw new Error(`\n\nSECRET SCAN OF THE LOGS FAILED (capture kept in ${dir}):\n  ${shown.join('\n  ')}\n`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Only a run of every test file must have captured the whole suite's volume of lines. */
function isWholeSuite(c: Config.GlobalConfig): boolean {
  return (
    !c.testPathPattern &&
    !c.testNamePattern &&
    !c.onlyChanged &&
    !c.onlyFailures &&
    !c.findRelatedTests &&
    !c.lastCommit &&
    !c.changedSince &&
    !c.shard
  );
}

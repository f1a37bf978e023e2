import { relative } from 'node:path';
import { markTest } from './log-capture';

// Runs in every test file (jest setupFilesAfterEnv): marks the capture so a leaked secret is
// reported with the test that logged it, not only a pid and a line number.
const testFile = relative(process.cwd(), expect.getState().testPath ?? 'unknown');
markTest(testFile);
beforeEach(() => markTest(testFile, expect.getState().currentTestName));

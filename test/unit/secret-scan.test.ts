import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LOG_CAPTURE_DIR_ENV } from '../../src/log/log-capture';
import { createLogger } from '../../src/log/logger';
import { captureProblems, readCapture, WHOLE_SUITE_MINIMUM } from '../helpers/secret-scan';
import { TEST_SECRETS } from '../helpers/test-secrets';

/** A capture directory of our own (not the run's: these lines carry secrets on purpose). */
function sampleCapture(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookport-scan-test-'));
  for (const [name, lines] of Object.entries(files))
    writeFileSync(join(dir, name), lines.map((l) => `${l}\n`).join(''));
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const line = (message: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ level: 'debug', message, ...fields });
const marker = (testFile: string, test?: string) => JSON.stringify({ captureMarker: true, testFile, test });
const problemsIn = (dir: string, wholeSuite = false) => captureProblems(readCapture(dir), { wholeSuite });

describe('the secret scan of captured logs', () => {
  it('finds a leaked secret, names its kind, test, file and line, and never prints the secret', () => {
    const dir = sampleCapture({
      '101.log': [
        marker('test/integration/a.test.ts', 'stores an SMS'),
        line('webhook'),
        line('token check', { token: TEST_SECRETS.twilioToken }),
      ],
    });
    const problems = problemsIn(dir);
    expect(problems).toEqual([
      `Twilio auth token (as is) leaked in test/integration/a.test.ts › stores an SMS: ${join(dir, '101.log')}:3, log message "token check"`,
    ]);
    expect(problems.join('\n')).not.toContain(TEST_SECRETS.twilioToken);
  });

  it.each([
    ['base64', Buffer.from(TEST_SECRETS.jobberClientSecret).toString('base64'), 'Jobber client secret (base64)'],
    [
      'inside a URL-encoded value',
      `password=${encodeURIComponent(`${TEST_SECRETS.thumbtackPassword}/x`)}`,
      'Thumbtack webhook password (as is)',
    ],
    [
      'a Basic header',
      `Basic ${Buffer.from(`${TEST_SECRETS.thumbtackUsername}:${TEST_SECRETS.thumbtackPassword}`).toString('base64')}`,
      'Thumbtack Basic authorization value (as is)',
    ],
    [
      'the whsec key part',
      TEST_SECRETS.resendSecret.slice('whsec_'.length),
      'Resend signing key (base64 part of the whsec secret) (as is)',
    ],
  ])('finds a secret written as %s', (_form, text, expected) => {
    const problems = problemsIn(sampleCapture({ '7.log': [line('oops', { detail: text })] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${expected.replace(/[()]/g, '\\$&')} leaked in no test marker`));
  });

  it('finds the URL-encoded form of a secret that changes when encoded', () => {
    const dir = sampleCapture({
      '3.secrets': [JSON.stringify({ kind: 'ADMIN_TOKEN', value: 'admin token/with+symbols=' })],
      '3.log': [line('callback', { url: `https://x.example/?t=${encodeURIComponent('admin token/with+symbols=')}` })],
    });
    expect(problemsIn(dir)).toEqual([expect.stringMatching(/^ADMIN_TOKEN \(URL-encoded\) leaked/)]);
  });

  it('looks for secrets registered at run time (tokens a fake issued), in every process file', () => {
    const dir = sampleCapture({
      '1.secrets': [JSON.stringify({ kind: 'Jobber refresh token (fake Jobber)', value: 'r3fr3sh-t0ken-abcdef' })],
      '2.log': [line('refreshed'), line('refresh failed', { error: 'invalid_grant for r3fr3sh-t0ken-abcdef' })],
    });
    expect(problemsIn(dir)).toEqual([
      expect.stringMatching(
        /^Jobber refresh token \(fake Jobber\) \(as is\) leaked .*2\.log:2, log message "refresh failed"$/,
      ),
    ]);
  });

  it('does not take a test name quoting a secret for a leak: markers are not log lines', () => {
    const dir = sampleCapture({
      '1.log': [marker('test/unit/config.test.ts', `refuses ${TEST_SECRETS.twilioToken}`), line('webhook')],
    });
    expect(problemsIn(dir)).toEqual([]);
  });

  it('passes a clean capture', () => {
    expect(
      problemsIn(sampleCapture({ '1.log': [line('webhook', { provider: 'twilio' }), line('event processed')] })),
    ).toEqual([]);
  });

  it('calls a capture broken when it holds fewer debug lines than the harnesses processed events', () => {
    const dir = sampleCapture({ '1.log': [line('event processed')], '1.expect': ['1', '2'] });
    expect(problemsIn(dir)).toEqual([
      expect.stringMatching(/^the log capture is broken: 1 debug lines captured, but the harnesses processed 3 events/),
    ]);
  });

  it('calls a whole-suite capture broken below the minimum volume', () => {
    const dir = sampleCapture({ '1.log': [line('webhook'), line('event processed')] });
    expect(problemsIn(dir, false)).toEqual([]);
    expect(problemsIn(dir, true)).toEqual([
      expect.stringMatching(/^the log capture is broken: the whole suite captured 2 debug lines/),
    ]);
    const enough = sampleCapture({
      '1.log': Array.from({ length: Math.max(WHOLE_SUITE_MINIMUM.debug, WHOLE_SUITE_MINIMUM.webhooks) }, () =>
        line('webhook'),
      ),
    });
    expect(problemsIn(enough, true)).toEqual([]);
  });
});

describe('createLogger under the capture', () => {
  it('captures every level, even from a silent logger, without changing what the operator sees', () => {
    const dir = sampleCapture({});
    const saved = process.env[LOG_CAPTURE_DIR_ENV];
    process.env[LOG_CAPTURE_DIR_ENV] = dir;
    try {
      const seen: string[] = [];
      const stream = new PassThrough().on('data', (chunk: Buffer) => seen.push(chunk.toString('utf8')));
      const operator = createLogger('warn', false, stream);
      operator.debug('debug line');
      operator.warn('warn line');
      createLogger('error', true).info('from a silent logger');
      expect(seen.map((l) => JSON.parse(l) as { message: string }).map((l) => l.message)).toEqual(['warn line']);
      const logs = readCapture(dir).logs;
      expect(logs.map((l) => l.file)).toEqual([join(dir, `${process.pid}.log`)]);
      const messages = logs[0]!.text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { message: string }).message);
      expect(messages).toEqual(['debug line', 'warn line', 'from a silent logger']);
    } finally {
      process.env[LOG_CAPTURE_DIR_ENV] = saved;
    }
  });
});

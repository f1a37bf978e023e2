import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_SECRETS } from './test-secrets';

/**
 * The scan behind "no secret ever reaches a log": every line captured during the run (see
 * log-capture.ts) against every secret the suite configures or a fake issued, in the forms a
 * careless log line would carry it. A finding names the secret's kind, never its value.
 */
export interface Secret {
  kind: string;
  value: string;
}

export interface Leak {
  kind: string;
  form: string;
  /** capture file and 1-based line */
  file: string;
  line: number;
  /** the test that was running, from the capture's markers */
  test: string;
  /** the leaking line's `message` field (a fixed text chosen by the code that logged it) */
  message: string;
}

/** The secrets every harness is configured with (harness.ts), Thumbtack's Basic header included. */
export function configuredSecrets(): Secret[] {
  const s = TEST_SECRETS;
  return [
    { kind: 'Twilio auth token', value: s.twilioToken },
    { kind: 'Resend signing secret', value: s.resendSecret },
    { kind: 'Resend signing key (base64 part of the whsec secret)', value: s.resendSecret.replace(/^whsec_/, '') },
    { kind: 'Jobber client secret', value: s.jobberClientSecret },
    { kind: 'Thumbtack webhook password', value: s.thumbtackPassword },
    {
      kind: 'Thumbtack Basic authorization value',
      value: Buffer.from(`${s.thumbtackUsername}:${s.thumbtackPassword}`, 'utf8').toString('base64'),
    },
  ];
}

/** The texts a secret can appear as in a JSON log line. */
export function secretForms(value: string): { form: string; text: string }[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [
    { form: 'as is', text: value },
    { form: 'JSON-escaped', text: JSON.stringify(value).slice(1, -1) },
    { form: 'URL-encoded', text: encodeURIComponent(value) },
    { form: 'base64', text: bytes.toString('base64').replace(/=+$/, '') },
    { form: 'base64url', text: bytes.toString('base64url') },
    { form: 'hex', text: bytes.toString('hex') },
  ];
  return forms.filter((f, i) => forms.findIndex((other) => other.text === f.text) === i);
}

/** At most this many findings per secret form and file: one is enough to fail, a few help to locate. */
const MAX_LEAKS_PER_FORM = 5;

/**
 * Leaks in one capture file's text. Each form is searched in the whole text (a native substring
 * search), not line by line: a suite run captures many megabytes and the fakes register hundreds of
 * tokens. Only a hit is located: its line, its message and the test marked before it.
 */
export function findLeaks(file: string, text: string, secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  const lineOf = lineLocator(text);
  for (const secret of secrets) {
    for (const { form, text: needle } of secretForms(secret.value)) {
      let found = 0;
      for (let at = text.indexOf(needle); at !== -1 && found < MAX_LEAKS_PER_FORM; at = text.indexOf(needle, at + 1)) {
        const where = lineOf(at);
        // A marker names a test, and a test's name may quote a secret: it is not a log line.
        if (where.marker) continue;
        leaks.push({ kind: secret.kind, form, file, line: where.line, message: where.message, test: where.test });
        found++;
      }
    }
  }
  return leaks;
}

/** Maps an offset in a capture file to its line number, its `message` and the test then running. */
function lineLocator(
  text: string,
): (offset: number) => { line: number; message: string; test: string; marker: boolean } {
  let starts: number[] | undefined;
  return (offset) => {
    starts ??= [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    const lineText = (index: number) => text.slice(starts![index], (starts![index + 1] ?? text.length + 1) - 1);
    const parsed = parseLine(lineText(low));
    if (parsed?.captureMarker === true) return { line: low + 1, message: '', test: '', marker: true };
    let test = 'no test marker (a process started by a test, or outside any test)';
    for (let index = low - 1; index >= 0; index--) {
      const candidate = lineText(index);
      const marker = candidate.includes('"captureMarker":true') ? parseLine(candidate) : undefined;
      if (marker) {
        test = marker.test ? `${String(marker.testFile)} › ${String(marker.test)}` : String(marker.testFile);
        break;
      }
    }
    const message = typeof parsed?.message === 'string' ? parsed.message : '(not a JSON log line)';
    return { line: low + 1, message, test, marker: false };
  };
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface Capture {
  logs: { file: string; text: string }[];
  /** configured secrets plus those registered at run time, without repeats */
  secrets: Secret[];
  /** debug lines the run must have captured at least (see expectDebugLines) */
  expectedDebugLines: number;
}

export function readCapture(dir: string): Capture {
  const files = readdirSync(dir).sort();
  const read = (extension: string) =>
    files
      .filter((f) => f.endsWith(`.${extension}`))
      .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
  const registered = read('secrets').flatMap(({ text }) => lines(text).map((l) => JSON.parse(l) as Secret));
  const secrets = [...configuredSecrets(), ...registered].filter(
    (s, i, all) => all.findIndex((other) => other.value === s.value) === i,
  );
  const expectedDebugLines = read('expect').reduce(
    (sum, { text }) => sum + lines(text).reduce((n, l) => n + Number(l), 0),
    0,
  );
  return { logs: read('log'), secrets, expectedDebugLines };
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** How much was captured: the proof that the scan looked at something. */
export function captureVolume(capture: Capture): { lines: number; debug: number; webhooks: number } {
  let total = 0;
  let debug = 0;
  let webhooks = 0;
  for (const { text } of capture.logs) {
    for (const line of lines(text)) {
      const parsed = parseLine(line);
      if (parsed && 'captureMarker' in parsed) continue;
      total++;
      if (parsed?.level === 'debug') debug++;
      if (parsed?.message === 'webhook') webhooks++;
    }
  }
  return { lines: total, debug, webhooks };
}

/** Below these, a run of the whole suite captured too little to prove anything: the capture is broken. */
export const WHOLE_SUITE_MINIMUM = { debug: 100, webhooks: 100 };

/**
 * Everything wrong with a run's capture, as sentences naming secret kinds, never values: a leak,
 * or too little captured for the scan to mean anything (fewer debug lines than the harnesses'
 * workers processed events, or, for the whole suite, fewer than WHOLE_SUITE_MINIMUM).
 */
export function captureProblems(capture: Capture, options: { wholeSuite: boolean }): string[] {
  const problems = capture.logs
    .flatMap(({ file, text }) => findLeaks(file, text, capture.secrets))
    .map((l) => `${l.kind} (${l.form}) leaked in ${l.test}: ${l.file}:${l.line}, log message "${l.message}"`);
  const volume = captureVolume(capture);
  if (volume.debug < capture.expectedDebugLines) {
    problems.push(
      `the log capture is broken: ${volume.debug} debug lines captured, but the harnesses processed ` +
        `${capture.expectedDebugLines} events and the worker logs each at debug level`,
    );
  }
  if (
    options.wholeSuite &&
    (volume.debug < WHOLE_SUITE_MINIMUM.debug || volume.webhooks < WHOLE_SUITE_MINIMUM.webhooks)
  ) {
    problems.push(
      `the log capture is broken: the whole suite captured ${volume.debug} debug lines and ${volume.webhooks} ` +
        `ingest lines, fewer than ${WHOLE_SUITE_MINIMUM.debug} and ${WHOLE_SUITE_MINIMUM.webhooks}`,
    );
  }
  return problems;
}

import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/log/logger';

export interface LogLine {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** What an operator sees: every line a logger writes at `level` and above, read back as JSON. */
export function captureLogs(level = 'debug') {
  const stream = new PassThrough();
  const lines: LogLine[] = [];
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const complete = text.split('\n');
    text = complete.pop()!;
    for (const line of complete) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
  });
  return {
    logger: createLogger(level, false, stream),
    lines,
    raw: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  };
}

import winston from 'winston';
import { captureTransport, logCaptureFile } from './log-capture';
import { activeTraceId } from '../tracing/context';
import { tracingOn } from '../tracing/state';

const LEVELS = winston.config.npm.levels;

/** A line written inside a span carries its trace id (tracing on), to find the trace from the log and back. */
const traceId = winston.format((info) => {
  if (tracingOn() && info.trace_id === undefined) {
    const id = activeTraceId();
    if (id) info.trace_id = id;
  }
  return info;
});

/**
 * JSON lines on stdout. Callers pass facts, never secrets: headers are redacted before logging.
 * Lines below the level are dropped first: winston otherwise formats them (timestamp, JSON)
 * before its transport discards them, which costs CPU on every event.
 * Under the test suite every line, at every level, is also appended to a capture file that the
 * suite scans for secrets (see src/log-capture.ts); the lines an operator sees do not change.
 */
export function createLogger(level: string, silent = false, stream?: NodeJS.WritableStream): winston.Logger {
  const captureFile = logCaptureFile();
  const floor = captureFile ? 'silly' : level;
  const threshold = LEVELS[floor] ?? LEVELS.info!;
  const enabled = winston.format((info) => ((LEVELS[info.level] ?? 0) <= threshold ? info : false));
  // A stream instead of stdout lets tests read exactly the lines an operator would see.
  const output = stream
    ? new winston.transports.Stream({ stream, level, silent })
    : new winston.transports.Console({ level, silent });
  return winston.createLogger({
    level: floor,
    silent: silent && !captureFile,
    format: winston.format.combine(
      enabled(),
      traceId(),
      winston.format.timestamp(),
      winston.format.errors(),
      winston.format.json(),
    ),
    defaultMeta: { service: 'hookport' },
    transports: captureFile ? [output, captureTransport(captureFile)] : [output],
  });
}

import winston from 'winston';

const LEVELS = winston.config.npm.levels;

/**
 * JSON lines on stdout. Callers pass facts, never secrets: headers are redacted before logging.
 * Lines below the level are dropped first: winston otherwise formats them (timestamp, JSON)
 * before its transport discards them, which costs CPU on every event.
 */
export function createLogger(level: string, silent = false, stream?: NodeJS.WritableStream): winston.Logger {
  const threshold = LEVELS[level] ?? LEVELS.info!;
  const enabled = winston.format((info) => ((LEVELS[info.level] ?? 0) <= threshold ? info : false));
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(
      enabled(),
      winston.format.timestamp(),
      winston.format.errors(),
      winston.format.json(),
    ),
    defaultMeta: { service: 'hookport' },
    // A stream instead of stdout lets tests read exactly the lines an operator would see.
    transports: [stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console()],
  });
}

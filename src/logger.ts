import winston from 'winston';

/** JSON lines on stdout. Callers pass facts, never secrets: headers are redacted before logging. */
export function createLogger(level: string, silent = false): winston.Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors(), winston.format.json()),
    defaultMeta: { service: 'hookport' },
    transports: [new winston.transports.Console()],
  });
}

/** Exit codes (sysexits.h): what scripts around the CLI rely on. */
export const EXIT = {
  ok: 0,
  failed: 1,
  /** EX_USAGE: a bad command, option or argument. */
  usage: 64,
  /** EX_CONFIG: a setting is missing or invalid. */
  config: 78,
} as const;

/** A failure the operator can act on: printed as `hookport: <message>`, then exit with `code`. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

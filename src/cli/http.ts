import { CliError, EXIT } from './exit-codes';

/** fetch, with a refused or unreachable server turned into a clear failure (exit 1). */
export async function request(url: string, init: RequestInit, origin: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError(`cannot reach ${origin} (${reason(err)}): is Hookport running at ${origin}?`, EXIT.failed);
  }
}

/** ECONNREFUSED, ENOTFOUND, TimeoutError…: what fetch's error wraps. */
function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return (
    cause?.code ??
    cause?.errors?.[0]?.code ??
    (cause as { message?: string } | undefined)?.message ??
    (err as Error).name
  );
}

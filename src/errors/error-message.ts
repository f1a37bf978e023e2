import { DrizzleQueryError } from 'drizzle-orm/errors';
import { storableText } from '../text/storable-text';

/**
 * The text of an error that is safe to log, store in `last_error` or show. Drizzle's query errors
 * spell out the query's parameters (webhook bodies, OAuth tokens); the database's own message, its
 * cause, names the problem without the values. Storable text: a parse error may quote a NUL from
 * the body, and a `last_error` that cannot be written leaves the event looping on lease expiry.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof DrizzleQueryError) {
    const cause = err.cause instanceof Error ? err.cause.message : 'query failed';
    return storableText(`database: ${cause}`);
  }
  return storableText(err instanceof Error ? err.message : String(err));
}

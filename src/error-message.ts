import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * The text of an error that is safe to log, store in `last_error` or show. Drizzle's query errors
 * spell out the query's parameters (webhook bodies, OAuth tokens); the database's own message, its
 * cause, names the problem without the values.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof DrizzleQueryError) {
    const cause = err.cause instanceof Error ? err.cause.message : 'query failed';
    return `database: ${cause}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Where JSON.parse stopped ("position 12", "line 2 column 5"), from its error, without the rest of
 * its words: V8 quotes a few characters of the text itself, and a body's text never goes into a
 * log line, `last_error` or an answer.
 */
export function whereJsonFailed(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : String(err);
  return /line \d+ column \d+/.exec(message)?.[0] ?? /position \d+/.exec(message)?.[0];
}

/** "not valid JSON", with where it stopped when JSON.parse said. */
export const notValidJson = (err: unknown): string => {
  const where = whereJsonFailed(err);
  return `not valid JSON${where ? ` (at ${where})` : ''}`;
};

import { InvalidCursorError } from '../../inbox/event-list';

/**
 * A cursor-paged read as a route's answer: the page, or 400 for a cursor this server did not give
 * (a stale or hand-made one is bad input, not a server error).
 */
export async function cursorPage<T>(
  read: () => Promise<T>,
): Promise<{ status: 200; body: T } | { status: 400; body: { error: 'invalid_request'; message: string } }> {
  try {
    return { status: 200, body: await read() };
  } catch (err) {
    if (err instanceof InvalidCursorError) return { status: 400, body: { error: 'invalid_request', message: err.message } };
    throw err;
  }
}

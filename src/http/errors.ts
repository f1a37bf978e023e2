/** The error codes a webhook or health answer can carry, with their HTTP status. */
export const ERROR_STATUS = {
  invalid_signature: 401,
  unknown_provider: 404,
  not_found: 404,
  payload_too_large: 413,
  bad_request: 400,
  provider_not_configured: 503,
  database_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/** Maps anything thrown while handling a request to an HttpError; unknown errors become 500. */
export function toHttpError(err: unknown, maxBodyBytes: number): HttpError {
  if (err instanceof HttpError) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    return new HttpError('payload_too_large', `request body exceeds MAX_BODY_BYTES (${maxBodyBytes} bytes)`);
  }
  if (typeof type === 'string' && (type.startsWith('request.') || type.startsWith('encoding.'))) {
    return new HttpError('bad_request', `could not read the request body (${type})`);
  }
  return new HttpError('internal_error', 'internal error');
}

import type { Request, Response } from 'express';

/** The error codes a webhook or health answer can carry, with their HTTP status. */
export const ERROR_STATUS = {
  invalid_signature: 401,
  unknown_provider: 404,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  bad_request: 400,
  provider_not_configured: 503,
  database_unavailable: 503,
  too_busy: 503,
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

/** The 413 answer for a body over `limitBytes`. */
export const bodyTooLarge = (limitBytes: number) =>
  new HttpError(
    'payload_too_large',
    `request body exceeds ${limitBytes} bytes, the limit for this webhook (MAX_BODY_BYTES caps every provider)`,
  );

/** The 415 answer for a compressed body: no provider compresses, and inflating unverified bytes costs. */
export const compressedBody = (encoding: string) =>
  new HttpError('unsupported_media_type', `Content-Encoding "${encoding}" is not accepted; send the body uncompressed`);

/** Content-Encoding when it is anything but identity (absent counts as identity). */
export function contentEncodingOf(req: Request): string | undefined {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  return encoding && encoding !== 'identity' ? encoding : undefined;
}

/**
 * Maps anything thrown while handling a request to an HttpError. Client errors (a path that is not
 * valid percent-encoding, a body that could not be read) become 4xx; unknown errors become 500.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const { type, status, limit, encoding } = (err ?? {}) as { type?: unknown; status?: unknown; limit?: unknown; encoding?: unknown };
  if (type === 'entity.too.large') return bodyTooLarge(Number(limit));
  if (type === 'encoding.unsupported') return compressedBody(String(encoding));
  // express's router marks a path parameter that cannot be decoded ("Failed to decode param").
  if (err instanceof URIError && status === 400) {
    return new HttpError('bad_request', 'the request path is not valid percent-encoding');
  }
  if (typeof type === 'string' && (type.startsWith('request.') || type.startsWith('charset.'))) {
    return new HttpError('bad_request', `could not read the request body (${type})`);
  }
  return new HttpError('internal_error', 'internal error');
}

/**
 * Sends the JSON error. When the body is still arriving, the connection is closed after the answer:
 * otherwise Node would go on reading (and discarding) the rest of a body nobody will use.
 */
export function sendHttpError(req: Request, res: Response, error: HttpError): void {
  if (!req.complete) res.set('Connection', 'close');
  res.status(error.status).json({ error: error.code, message: error.message });
}

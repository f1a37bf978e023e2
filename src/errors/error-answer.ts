import { HookportError, InvalidRequestError, type ErrorCode } from './hookport-error';

/** The JSON every error answer carries. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

/** The answer for an error raised on purpose: its status and `{error, message}`. */
export const answerOf = (error: HookportError): ErrorAnswer => ({
  status: error.status,
  body: { error: error.code, message: error.message },
});

/**
 * Maps what a request's reading threw to a HookportError: the body parsers' and the router's own
 * client errors become 4xx (`bodyTooLarge` words the 413 for the route); anything else is a 500.
 */
export function requestError(err: unknown, bodyTooLarge: (limitBytes: number) => HookportError): HookportError {
  if (err instanceof HookportError) return err;
  const { type, status, limit, encoding } = (err ?? {}) as {
    type?: unknown;
    status?: unknown;
    limit?: unknown;
    encoding?: unknown;
  };
  if (type === 'entity.too.large') return bodyTooLarge(Number(limit));
  if (type === 'encoding.unsupported') {
    return new HookportError(
      'unsupported_media_type',
      `Content-Encoding "${String(encoding)}" is not accepted; send the body uncompressed`,
    );
  }
  if (type === 'entity.parse.failed') return new InvalidRequestError('body: not valid JSON');
  // express's router marks a path parameter that cannot be decoded ("Failed to decode param").
  if (err instanceof URIError && status === 400)
    return new InvalidRequestError('the request path is not valid percent-encoding');
  if (typeof type === 'string' && (type.startsWith('request.') || type.startsWith('charset.'))) {
    return new InvalidRequestError(`could not read the request body (${type})`);
  }
  return new HookportError('internal_error', 'internal error');
}

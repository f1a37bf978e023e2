/**
 * Every error code an answer can carry, with its HTTP status: the one table for the webhook routes,
 * health and the admin API. Codes are part of the contract; add, never rename.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unknown_event_type: 400,
  url_not_allowed: 400,
  unauthorized: 401,
  invalid_signature: 401,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  not_connected: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_payload: 422,
  too_many_requests: 429,
  internal_error: 500,
  provider_api_error: 502,
  provider_not_configured: 503,
  admin_not_configured: 503,
  database_unavailable: 503,
  secret_unreadable: 503,
  too_busy: 503,
  deferred: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The base of every error Hookport raises on purpose: a code from ERROR_STATUS and a message
 * written for the caller (never a secret). Anything else thrown is a bug or an outage.
 */
export class HookportError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = ERROR_STATUS[code];
  }
}

/** The request is not provably from the provider: answered 401, nothing stored. */
export class VerificationError extends HookportError {
  constructor(message: string) {
    super('invalid_signature', message);
  }
}

/**
 * Bigger than any genuine request from the provider (e.g. a form with more parameters than the
 * provider ever sends): answered 413 before the full signature check, nothing stored.
 */
export class RequestTooLargeError extends HookportError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

/** A verified body that cannot be parsed or fails the provider's schema: dead-lettered, no retry. */
export class PayloadError extends HookportError {
  constructor(message: string) {
    super('invalid_payload', message);
  }
}

/**
 * Not a failure: try again after `delayMs` without using up an attempt (e.g. a provider API
 * that throttles). The worker reschedules the event as pending.
 */
export class DeferError extends HookportError {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super('deferred', message);
  }
}

/** Input the caller can correct: a bad parameter, query or body (400 invalid_request). */
export class InvalidRequestError extends HookportError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

/** A pagination cursor this server did not write. */
export class InvalidCursorError extends InvalidRequestError {}

/** No such thing (404 not_found): the message says what was looked for. */
export class NotFoundError extends HookportError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** The thing exists but its state forbids the request now (409 conflict). */
export class ConflictError extends HookportError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Too many failed attempts from here (429): try again after `retryAfterSeconds` (sent as Retry-After). */
export class TooManyRequestsError extends HookportError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', message);
  }
}

/**
 * A stored secret that no configured HOOKPORT_ENCRYPTION_KEY opens (a wrong or missing key): never
 * shown, not even as ciphertext. Answered 503: it is the server's configuration, not the request.
 */
export class SecretUnreadableError extends HookportError {
  constructor(keySet: boolean) {
    super(
      'secret_unreadable',
      keySet
        ? 'a stored secret cannot be decrypted with HOOKPORT_ENCRYPTION_KEY: set it to the key (or list of keys) the secrets were encrypted with'
        : 'a stored secret is encrypted but HOOKPORT_ENCRYPTION_KEY is not set: set it to the key the secrets were encrypted with',
    );
  }
}

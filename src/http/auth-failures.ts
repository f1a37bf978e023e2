import type { Request } from 'express';
import type { Logger } from 'winston';
import { TooManyRequestsError } from '../errors/hookport-error';
import { errorMessage } from '../errors/error-message';
import { FailureWindows, type FailureLimits } from './failure-windows';

/** Where an operator credential is checked: the console's sign-in, the admin API's bearer, /metrics. */
export type AuthSurface = 'console' | 'admin_api' | 'metrics';

/** Failures allowed per window before the answer is 429: per client address, and over all of them. */
export const AUTH_FAILURE_LIMITS = { perAddress: 10, overall: 200, windowMs: 60_000 } as const;

/**
 * Limits guessing of the operator credentials. Only failures count; once an address (or everyone,
 * past the overall limit) has failed too often in the current window, every attempt, right or
 * wrong, is answered 429 with Retry-After until the window ends, so a guess cannot be tested there.
 */
export class AuthFailures {
  private readonly windows: FailureWindows;

  constructor(
    private readonly options: {
      logger: Logger;
      /** Counts each failure (hookport_operator_auth_failures_total). */
      counted?: (surface: AuthSurface) => void;
      /** Records each failure in the audit log; awaited before the refusal is answered. */
      recorded?: (req: Request, surface: AuthSurface) => Promise<void>;
      limits?: FailureLimits;
      now?: () => number;
    },
  ) {
    this.windows = new FailureWindows(options.limits ?? AUTH_FAILURE_LIMITS, options.now);
  }

  /** The 429 to answer `req` with before its credential is even compared, or undefined. */
  refusal(req: Request): TooManyRequestsError | undefined {
    const seconds = this.windows.retryAfter(addressOf(req));
    if (seconds === undefined) return undefined;
    return new TooManyRequestsError(`too many wrong credentials; retry in ${seconds} s`, seconds);
  }

  /**
   * Records a wrong credential from `req` on `surface`; the log line names the client address. The
   * limits above bound how often this runs, so the audit entries it writes too.
   */
  async failed(req: Request, surface: AuthSurface): Promise<void> {
    const address = addressOf(req);
    this.windows.record(address);
    this.options.counted?.(surface);
    this.options.logger.info('operator credential refused', { surface, address });
    // The refusal is answered anyway: a database that is down must not turn it into an error.
    await this.options.recorded?.(req, surface).catch((err: unknown) =>
      this.options.logger.warn('audit entry not written', {
        action: 'operator.sign_in_refused',
        error: errorMessage(err),
      }),
    );
  }
}

/** The client address, as TRUST_PROXY lets Express read it (X-Forwarded-For through trusted hops). */
export const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

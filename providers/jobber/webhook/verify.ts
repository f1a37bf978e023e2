import { createHmac } from 'node:crypto';
import { type RawRequest, signaturesEqual, VerificationError } from '../../../src/provider';

export const SIGNATURE_HEADER = 'x-jobber-hmac-sha256';

/** Base64 HMAC-SHA256 of the exact body, keyed with the app's OAuth client secret (Jobber's scheme). */
export function jobberSignature(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * Verifies X-Jobber-Hmac-SHA256 over the raw bytes for any configured client secret (rotation).
 * Every secret is tried, so the time taken does not tell which one matched.
 */
export function createJobberVerifier(secrets: readonly string[]) {
  return (request: RawRequest): void => {
    const signature = request.headers[SIGNATURE_HEADER]?.trim();
    if (!signature) {
      throw new VerificationError('missing X-Jobber-Hmac-SHA256 header; is this request from Jobber?');
    }
    let valid = false;
    for (const secret of secrets) {
      if (signaturesEqual(signature, jobberSignature(secret, request.body))) valid = true;
    }
    if (!valid) {
      throw new VerificationError(
        "X-Jobber-Hmac-SHA256 does not match; check JOBBER_CLIENT_SECRET (the app's OAuth client secret) and that the raw body reaches Hookport unchanged",
      );
    }
  };
}

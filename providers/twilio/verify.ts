import twilio from 'twilio';
import { signaturesEqual } from '../../src/secure-compare';
import { VerificationError, type RawRequest } from '../../src/provider';
import { formParams, isJsonSigned } from './form';

export const SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Verifies `X-Twilio-Signature` against `publicBaseUrl + path and query` (never Host or
 * X-Forwarded-*), for any of the configured auth tokens. The exact URL is checked first: twilio-node
 * rewrites URLs through `new URL()` and, in some versions, rejects ones with both ' and +
 * (twilio-node#1183). Then the library's own variants (ports, legacy query encoding).
 */
export function createTwilioVerifier(authTokens: readonly string[], publicBaseUrl: string) {
  return (request: RawRequest): void => {
    const signature = request.headers[SIGNATURE_HEADER];
    if (!signature) {
      throw new VerificationError('missing X-Twilio-Signature header; is this request from Twilio?');
    }
    const url = publicBaseUrl + request.url;
    const json = isJsonSigned(request.url, request.headers['content-type']);
    const params = json ? {} : formParams(request.body);

    const valid = authTokens.some((token) => {
      if (json) {
        // The hash is over the bytes received; the library hashes a Buffer as is (no re-encoding).
        return twilio.validateRequestWithBody(token, signature, url, request.body as unknown as string);
      }
      const exact = twilio.getExpectedTwilioSignature(token, url, params);
      return signaturesEqual(signature, exact) || twilio.validateRequest(token, signature, url, params);
    });
    if (!valid) {
      throw new VerificationError(
        'X-Twilio-Signature does not match; check TWILIO_AUTH_TOKEN and that PUBLIC_BASE_URL is the origin Twilio calls',
      );
    }
  };
}

// The twilio library's own webhook functions, from the module that defines them: the package's root
// also loads its whole REST client (resident memory in every process, for nothing here).
import * as twilio from 'twilio/lib/webhooks/webhooks';
import { type RawRequest, RequestTooLargeError, signaturesEqual, VerificationError } from '../../src/provider';
import { formParams, isJsonSigned } from './form';

export const SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Twilio's messaging webhooks carry under 100 parameters (an MMS with ten media and the sender's
 * geography about 50). Checking a signature sorts and concatenates every parameter (five times, for
 * the library's URL variants), so a forged form's cost grows with its keys: more than this many is
 * refused before any of that (docs/providers/twilio.md).
 */
export const MAX_FORM_PARAMETERS = 200;

/** The number of `&`-separated fields, counted on the bytes before anything is parsed. */
function formFieldCount(body: Buffer): number {
  let count = body.length > 0 ? 1 : 0;
  for (let at = body.indexOf(0x26); at !== -1; at = body.indexOf(0x26, at + 1)) count++;
  return count;
}

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
    if (!json && formFieldCount(request.body) > MAX_FORM_PARAMETERS) {
      throw new RequestTooLargeError(
        `a Twilio form body has at most ${MAX_FORM_PARAMETERS} parameters; this one has more`,
      );
    }
    const params = json ? {} : formParams(request.body);

    // The exact URL for every token first (one HMAC each), the library's variants only after.
    const exact = authTokens.some((token) =>
      json
        ? // The hash is over the bytes received; the library hashes a Buffer as is (no re-encoding).
          twilio.validateRequestWithBody(token, signature, url, request.body as unknown as string)
        : signaturesEqual(signature, twilio.getExpectedTwilioSignature(token, url, params)),
    );
    const valid = exact || (!json && authTokens.some((token) => twilio.validateRequest(token, signature, url, params)));
    if (!valid) {
      throw new VerificationError(
        'X-Twilio-Signature does not match; check TWILIO_AUTH_TOKEN and that PUBLIC_BASE_URL is the origin Twilio calls',
      );
    }
  };
}

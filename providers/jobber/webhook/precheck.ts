import { type Config, isBase64Digest, type RequestHead, VerificationError } from '../../../src/provider';
import { SIGNATURE_HEADER } from './verify';

const SHA256_BYTES = 32;

/** Before the body: X-Jobber-Hmac-SHA256 is present and shaped like a base64 HMAC-SHA256. */
export function createJobberPrecheck(_config: Config) {
  return (head: RequestHead): void => {
    // Trimmed as the verifier trims it.
    const signature = head.headers[SIGNATURE_HEADER]?.trim();
    if (!signature) throw new VerificationError('missing X-Jobber-Hmac-SHA256 header; is this request from Jobber?');
    if (!isBase64Digest(signature, SHA256_BYTES)) {
      throw new VerificationError('X-Jobber-Hmac-SHA256 is not a base64 HMAC-SHA256 signature');
    }
  };
}

import { type Config, isBase64Digest, type RequestHead, VerificationError } from '../../src/provider';
import { SIGNATURE_HEADER } from './verify';

const SHA1_BYTES = 20;

/** Before the body: X-Twilio-Signature is present and shaped like a base64 HMAC-SHA1. */
export function createTwilioPrecheck(_config: Config) {
  return (head: RequestHead): void => {
    const signature = head.headers[SIGNATURE_HEADER];
    if (!signature) throw new VerificationError('missing X-Twilio-Signature header; is this request from Twilio?');
    if (!isBase64Digest(signature, SHA1_BYTES)) {
      throw new VerificationError('X-Twilio-Signature is not a base64 HMAC-SHA1 signature');
    }
  };
}

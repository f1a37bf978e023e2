import { type RawRequest, type RequestHead, signaturesEqual, VerificationError } from '../../src/provider';
import { slackSignature } from './sign';

export const SIGNATURE_HEADER = 'x-slack-signature';
export const TIMESTAMP_HEADER = 'x-slack-request-timestamp';

/** Slack's own rule: a request more than five minutes from now, either way, may be a replay. */
export const TOLERANCE_SECONDS = 5 * 60;

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

/** The signature and timestamp headers, checked for shape and age; what the body check needs. */
function signedHead(head: RequestHead, now: () => number): { signature: string; timestamp: string } {
  const signature = head.headers[SIGNATURE_HEADER];
  const timestamp = head.headers[TIMESTAMP_HEADER];
  if (!signature || !timestamp) {
    throw new VerificationError(
      'missing X-Slack-Signature or X-Slack-Request-Timestamp header; is this request from Slack?',
    );
  }
  if (!SIGNATURE.test(signature)) throw new VerificationError('X-Slack-Signature is not v0= and a hex HMAC-SHA256');
  if (!TIMESTAMP.test(timestamp)) throw new VerificationError('X-Slack-Request-Timestamp is not Unix seconds');
  if (Math.abs(now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    throw new VerificationError(
      "X-Slack-Request-Timestamp is more than 5 minutes from this server's clock; check the clock, or this is a replay",
    );
  }
  return { signature, timestamp };
}

/** Before the body: both headers there, well formed, and the timestamp within five minutes. */
export function createSlackPrecheck(now: () => number = Date.now) {
  return (head: RequestHead): void => void signedHead(head, now);
}

/** Slack's v0 scheme over the raw body, under any of the configured signing secrets. */
export function createSlackVerifier(secrets: readonly string[], now: () => number = Date.now) {
  return (request: RawRequest): void => {
    const { signature, timestamp } = signedHead(request, now);
    // Every secret is tried, so the time taken does not say which one matched.
    const matches = secrets.map((secret) =>
      signaturesEqual(signature, slackSignature(secret, timestamp, request.body)),
    );
    if (!matches.includes(true)) {
      throw new VerificationError(
        "X-Slack-Signature does not match; check SLACK_SIGNING_SECRET (the app's Basic Information page)",
      );
    }
  };
}

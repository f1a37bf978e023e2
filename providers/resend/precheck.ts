import { type Config, type RequestHead, VerificationError } from '../../src/provider';

/** svix's WEBHOOK_TOLERANCE_IN_SECONDS: it refuses timestamps further than this from now. */
export const SVIX_TOLERANCE_SECONDS = 5 * 60;

/** A header as svix reads it: the svix-* name, else the unbranded webhook-* one. */
const svixHeader = (head: RequestHead, name: string) => head.headers[`svix-${name}`] ?? head.headers[`webhook-${name}`];

/**
 * Before the body: the three Svix headers are present, the signature header has a `v1,` entry, and
 * the timestamp is within svix's tolerance, parsed as svix parses it. A stale or future request is
 * refused without reading its body; the verifier checks all of it again with the body.
 */
export function checkSvixHead(head: RequestHead, nowMs: number): void {
  const id = svixHeader(head, 'id');
  const timestamp = svixHeader(head, 'timestamp');
  const signature = svixHeader(head, 'signature');
  if (!id || !timestamp || !signature) {
    throw new VerificationError(
      'missing svix-id, svix-timestamp or svix-signature header; is this request from Resend?',
    );
  }
  if (!signature.split(' ').some((entry) => entry.startsWith('v1,'))) {
    throw new VerificationError('svix-signature has no v1 signature');
  }
  const seconds = parseInt(timestamp, 10);
  if (Number.isNaN(seconds)) throw new VerificationError('svix-timestamp is not a Unix time');
  const now = Math.floor(nowMs / 1000);
  if (now - seconds > SVIX_TOLERANCE_SECONDS)
    throw new VerificationError('Message timestamp too old; check the server clock');
  if (seconds - now > SVIX_TOLERANCE_SECONDS)
    throw new VerificationError('Message timestamp too new; check the server clock');
}

export function createResendPrecheck(_config: Config, now: () => number = Date.now) {
  return (head: RequestHead): void => checkSvixHead(head, now());
}

import { type RawRequest, secretsEqual, VerificationError } from '../../src/provider';

export const AUTHORIZATION_HEADER = 'authorization';

const BASIC = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/** `Basic base64(username:password)` → its parts, or null when the header is not that shape. */
export function parseBasicAuthorization(header: string): { username: string; password: string } | null {
  const match = BASIC.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // RFC 7617: the user-id cannot contain a colon, the password can.
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Thumbtack does not sign webhooks: the only proof is the static HTTP Basic credential set on the
 * webhook. Both parts are compared in constant time, and both always, so a failure says nothing
 * about which part was wrong.
 */
export function createThumbtackVerifier(username: string, password: string) {
  return (request: RawRequest): void => {
    const header = request.headers[AUTHORIZATION_HEADER];
    if (!header) {
      throw new VerificationError(
        "missing Authorization header; set the webhook's Basic credentials to THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD",
      );
    }
    const given = parseBasicAuthorization(header);
    if (!given) throw new VerificationError('Authorization header is not HTTP Basic credentials');
    const usernameMatches = secretsEqual(given.username, username);
    const passwordMatches = secretsEqual(given.password, password);
    if (!(usernameMatches && passwordMatches)) {
      throw new VerificationError(
        'HTTP Basic credentials do not match THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD',
      );
    }
  };
}

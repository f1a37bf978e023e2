import type { RequestHandler } from 'express';

/**
 * The console's policy, sent with every answer (a JSON error echoes request text; the provider
 * pages are HTML too): no inline script or style, nothing from another origin, no framing, forms
 * only back to Hookport.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A year: browsers keep to https for that long after an answer over https. */
const HSTS = 'max-age=31536000';

/**
 * Headers on every answer, set before any route runs: nosniff, the content security policy and
 * framing refusal, no referrer to other origins, and HSTS when Hookport is reached over https
 * (`PUBLIC_BASE_URL`).
 */
export function securityHeaders(publicBaseUrl: string | undefined): RequestHandler {
  const https = publicBaseUrl?.startsWith('https://') ?? false;
  return (_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'same-origin');
    if (https) res.setHeader('strict-transport-security', HSTS);
    next();
  };
}

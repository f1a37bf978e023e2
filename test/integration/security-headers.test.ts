import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers';
import { ADMIN_TOKEN } from '../helpers/console';
import { suiteHarness } from '../helpers/suite';

/** One request of each kind of answer: JSON, HTML, text, TwiML-less refusals, redirects, 404s. */
const requests: [string, 'get' | 'post', string][] = [
  ['health', 'get', '/health'],
  ['liveness', 'get', '/health/live'],
  ['metrics', 'get', '/metrics'],
  ['an unknown provider (echoes the path)', 'post', '/webhooks/%3Cscript%3E'],
  ['a forged webhook', 'post', '/webhooks/resend'],
  ['the admin API without a token', 'get', '/admin/api/events'],
  ['the OpenAPI document', 'get', '/admin/api/openapi.json'],
  ['the console sign-in page', 'get', '/admin/sign-in'],
  ['a console page signed out (a redirect)', 'get', '/admin/events'],
  ['the Jobber OAuth callback (HTML)', 'get', '/oauth/jobber/callback?code=x&state=forged'],
  ['no such route', 'get', '/nowhere'],
];

/** Headers every answer carries, HTML or not, whichever router answered. */
describe.each([
  ['https', 'https://hooks.example.com', 'max-age=31536000'],
  ['http', 'http://127.0.0.1:3000', undefined],
])('security headers with a PUBLIC_BASE_URL on %s', (_scheme, publicBaseUrl, hsts) => {
  const h = suiteHarness('pglite', { ADMIN_TOKEN, PUBLIC_BASE_URL: publicBaseUrl, JOBBER_CLIENT_ID: 'headers-test' });

  it.each(requests)('%s', async (_what, method, path) => {
    const res = await h.http()[method](path).send();
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect({
      nosniff: res.headers['x-content-type-options'],
      csp: res.headers['content-security-policy'],
      framing: res.headers['x-frame-options'],
      referrer: res.headers['referrer-policy'],
      hsts: res.headers['strict-transport-security'],
    }).toEqual({ nosniff: 'nosniff', csp: CONTENT_SECURITY_POLICY, framing: 'DENY', referrer: 'same-origin', hsts });
  });
});

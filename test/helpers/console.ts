import type { Harness } from './harness';

/** The operator credential the console tests run with (at least 32 characters; scanned for in the logs). */
export const ADMIN_TOKEN = 'console-test-admin-token-7f3c9d2e41b8a6';

/** Signs in to the console as a browser would; returns the Cookie header value of the session. */
export async function signIn(h: Pick<Harness, 'http'>, token = ADMIN_TOKEN): Promise<string> {
  const res = await h.http().post('/admin/sign-in').type('form').send({ token, next: '/admin' });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('hookport_session='));
  if (!session) throw new Error('sign-in set no session cookie');
  return session;
}

/** The CSRF token a signed-in page carries in its forms. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('the page has no CSRF field');
  return match[1]!;
}

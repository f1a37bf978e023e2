import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type ServerProcess } from '../helpers/processes';

const OLD_TOKEN = 'session-binding-old-token-5c1e8f2a9b7d4036';
const NEW_TOKEN = 'session-binding-new-token-e84b2c7f10a9d653';

/**
 * A console session ends when ADMIN_TOKEN changes: the cookie of an operator signed in with the old
 * token opens nothing once the gateway restarts with a new one (contract: "Operator tokens").
 */
describe('console sessions are bound to the admin token', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-binding-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    server = undefined;
  });

  const start = async (adminToken: string) => {
    server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN: adminToken });
    return `http://127.0.0.1:${server.port}`;
  };
  const stop = async () => {
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    server = undefined;
  };
  /** What the console answers a signed-in page request with this cookie: 200, or 303 to sign in. */
  const pageWith = async (origin: string, cookie: string) =>
    (await fetch(`${origin}/admin/events`, { headers: { cookie }, redirect: 'manual' })).status;

  it('refuses a session made under another token, and the secret page with it', async () => {
    let origin = await start(OLD_TOKEN);
    const signedIn = await fetch(`${origin}/admin/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: OLD_TOKEN, next: '/admin' }).toString(),
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(await pageWith(origin, cookie)).toBe(200);
    await stop();

    origin = await start(NEW_TOKEN);
    expect(await pageWith(origin, cookie)).toBe(303);
    // The Jobber connect route takes the console's session too.
    expect((await fetch(`${origin}/oauth/jobber/connect`, { headers: { cookie }, redirect: 'manual' })).status).toBe(
      401,
    );
    await stop();
  });
});

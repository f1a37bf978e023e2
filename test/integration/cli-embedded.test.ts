import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPEN_TIMEOUT_MS } from '../helpers/harness';
import { runCliProcess, startServer, type ServerProcess } from '../helpers/processes';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';

const BUSINESS = '590297085345701895';

/** The CLI beside a server running on the embedded database (which admits one process). */
describe('hookport CLI while a server holds the embedded database', () => {
  let dataDir: string;
  let server: ServerProcess;
  let fake: FakeThumbtack;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-cli-'));
    fake = await startFakeThumbtack({ businesses: [BUSINESS] });
    server = await startServer({ DATA_DIR: dataDir });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses `thumbtack webhooks list`, which opens the database (a connected account, the audit log), saying what to do',
    async () => {
      const { code, stdout, stderr } = await runCliProcess(['thumbtack', 'webhooks', 'list', '--business', BUSINESS], {
        DATA_DIR: dataDir,
        THUMBTACK_API_URL: fake.url,
        THUMBTACK_ACCESS_TOKEN: fake.token,
        LOG_LEVEL: 'error',
      });
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toContain(
        `hookport: the embedded database in ${dataDir} is in use by process ${server.child.pid}`,
      );
      expect(stderr).not.toContain(fake.token);
      // Nothing reached Thumbtack, and the server still owns a working database.
      expect(fake.requests).toEqual([]);
      expect(server.child.exitCode).toBeNull();
    },
    OPEN_TIMEOUT_MS,
  );

  it(
    '`config check` reports the embedded database held by the server, without opening it',
    async () => {
      const { code, stdout } = await runCliProcess(['config', 'check'], {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        RESEND_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      });
      expect(stdout).toContain(
        `database: embedded database in ${dataDir}: held by the running server (pid ${server.child.pid} on `,
      );
      expect(code).toBe(0);
      expect(server.child.exitCode).toBeNull();
    },
    OPEN_TIMEOUT_MS,
  );

  it(
    'refuses `jobber sync`, which needs the database, with exit 1 and a message saying what to do',
    async () => {
      const { code, stdout, stderr } = await runCliProcess(['jobber', 'sync'], {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
      });
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toContain(
        `hookport: the embedded database in ${dataDir} is in use by process ${server.child.pid}`,
      );
      expect(stderr).toContain(
        'stop that process first (e.g. the running Hookport server), or set DATABASE_URL to use PostgreSQL',
      );
      // The server still owns a working database.
      expect(server.child.exitCode).toBeNull();
    },
    OPEN_TIMEOUT_MS,
  );
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client';
import { EmbeddedLockError, LOCK_FILE_NAME } from '../../src/db/embedded-lock';
import { queryRows } from '../../src/db/rows';
import { createLogger } from '../../src/log/logger';
import { OPEN_TIMEOUT_MS } from '../helpers/harness';
import { startServer, type ServerProcess } from '../helpers/processes';

const logger = createLogger('error', true);
const open = (dataDir: string) =>
  openDatabase({ databaseUrl: undefined, dataDir, poolSize: 1, timeoutMs: 3000, logger });
const readLock = (dataDir: string) => JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE_NAME), 'utf8'));

describe('embedded data directory lock', () => {
  let dataDir: string;
  const opened: Database[] = [];
  let server: ServerProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-lock-'));
  });
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    server = undefined;
    for (const db of opened.splice(0)) await db.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });
  const openKept = async (dir: string) => {
    const db = await open(dir);
    opened.push(db);
    return db;
  };

  it(
    'refuses a second open in the same process, saying who holds it and what to do; close releases it',
    async () => {
      const first = await open(dataDir);
      expect(readLock(dataDir)).toEqual({ pid: process.pid, hostname: os.hostname(), startedAt: expect.any(String) });

      const second = open(dataDir);
      await expect(second).rejects.toBeInstanceOf(EmbeddedLockError);
      await expect(second).rejects.toThrow(`in use by process ${process.pid} on host ${os.hostname()}`);
      await expect(second).rejects.toThrow(/stop that process first .*or set DATABASE_URL to use PostgreSQL/);

      await first.close();
      expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
    },
    OPEN_TIMEOUT_MS,
  );

  it(
    'refuses while a server process holds it, and lets go when that server stops on SIGTERM',
    async () => {
      server = await startServer({ DATA_DIR: dataDir });
      expect(readLock(dataDir).pid).toBe(server.child.pid);

      await expect(open(dataDir)).rejects.toThrow(`in use by process ${server.child.pid}`);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
    },
    OPEN_TIMEOUT_MS,
  );

  it(
    'takes over the lock of a process killed with kill -9, and a server started meanwhile is refused',
    async () => {
      server = await startServer({ DATA_DIR: dataDir });
      const deadPid = server.child.pid;
      server.child.kill('SIGKILL');
      await server.exited;
      server = undefined;
      expect(readLock(dataDir).pid).toBe(deadPid);

      const db = await openKept(dataDir);
      expect(readLock(dataDir).pid).toBe(process.pid);
      // The killed server's migrations are all there: nothing was lost with the lock.
      expect((await queryRows(db.db, sql`select count(*)::int as n from hookport_migrations`))[0]).toEqual({
        n: expect.any(Number),
      });

      const refused = startServer({ DATA_DIR: dataDir });
      await expect(refused).rejects.toThrow(
        `failed to start: the embedded database in ${dataDir} is in use by process ${process.pid}`,
      );
    },
    OPEN_TIMEOUT_MS,
  );

  it('never takes over a lock from another host, and says which file to delete', async () => {
    const file = path.join(dataDir, LOCK_FILE_NAME);
    writeFileSync(file, JSON.stringify({ pid: 1, hostname: 'another-host', startedAt: '2026-01-01T00:00:00.000Z' }));
    await expect(open(dataDir)).rejects.toThrow(
      `in use by process 1 on host another-host (since 2026-01-01T00:00:00.000Z). Only one process may open it`,
    );
    await expect(open(dataDir)).rejects.toThrow(`If no such process is running any more, delete ${file}.`);
    expect(readLock(dataDir).hostname).toBe('another-host');
  });
});

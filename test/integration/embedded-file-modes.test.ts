import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type ServerProcess } from '../helpers/processes';
import { ADMIN_TOKEN } from '../helpers/console';

/** Every file and directory under `dir` whose mode lets its group or others in, with that mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (p: string) => {
    const mode = statSync(p).mode & 0o777;
    if (mode & 0o077) found.push(`${path.relative(dir, p) || '.'} ${mode.toString(8)}`);
    if (statSync(p).isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
  };
  visit(dir);
  return found;
}

/**
 * The embedded database's WAL holds every secret Hookport stores (subscription secrets, provider
 * tokens): its directory and files are its owner's alone, whatever the umask the process got.
 */
describe('embedded database file modes', () => {
  let parent: string;
  let server: ServerProcess | undefined;
  beforeEach(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'hookport-modes-'));
  });
  afterEach(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    server = undefined;
    rmSync(parent, { recursive: true, force: true });
  });

  const run = async (dataDir: string) => {
    // A subscription secret written, so the WAL holds one, with the umask most systems start with.
    const previous = process.umask(0o022);
    try {
      server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' });
    } finally {
      process.umask(previous);
    }
    const created = await fetch(`http://127.0.0.1:${server.port}/admin/api/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', eventTypes: ['*'] }),
    });
    expect(created.status).toBe(201);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;
  };

  /** What the user `nobody` sees of a file: root only can ask (CI runs as root); null otherwise. */
  const nobodyReads = (file: string): boolean | null => {
    if (process.getuid?.() !== 0) return null;
    return spawnSync('runuser', ['-u', 'nobody', '--', 'cat', file], { stdio: 'ignore' }).status === 0;
  };

  it('creates DATA_DIR 0700 and every file in it readable by its owner only', async () => {
    const dataDir = path.join(parent, 'data');
    await run(dataDir);
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    expect(openToOthers(dataDir)).toEqual([]);
    // WAL segments PGlite writes later are 0666 by its own doing; the 0700 directories keep them in.
    const wal = readdirSync(path.join(dataDir, 'pg_wal')).find((name) => /^[0-9A-F]{24}$/.test(name))!;
    expect([
      nobodyReads(path.join(dataDir, 'PG_VERSION')),
      nobodyReads(path.join(dataDir, 'pg_wal', wal)),
    ]).not.toContain(true);
  });

  it('tightens a DATA_DIR that already exists with 0755', async () => {
    const dataDir = path.join(parent, 'existing');
    mkdirSync(dataDir, { mode: 0o755 });
    await run(dataDir);
    expect(openToOthers(dataDir)).toEqual([]);
  });
});

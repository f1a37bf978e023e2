import type { Command } from 'commander';
import { PassThrough } from 'node:stream';
import { installedProviders } from '../../src/installed';
import { buildProgram } from '../../src/cli/program';
import { hookport } from '../helpers/cli';

/** Every command path the program has, groups included: [], ['send'], ['events', 'list'], … */
function commandPaths(): string[][] {
  const sink = new PassThrough();
  const program = buildProgram({ out: sink, err: sink, env: {}, registry: installedProviders }, () => {});
  const paths: string[][] = [];
  const walk = (command: Command, path: string[]) => {
    paths.push(path);
    for (const child of command.commands) if (child.name() !== 'help') walk(child, [...path, child.name()]);
  };
  walk(program, []);
  return paths;
}

describe('hookport usage', () => {
  const paths = commandPaths();

  it("knows the core commands and the providers' own", () => {
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining([
        'send',
        'config check',
        'events list',
        'events show',
        'events replay',
        ...['list', 'create', 'update', 'delete', 'test', 'deliveries', 'secret', 'rotate-secret', 'retry'].map(
          (c) => `subscriptions ${c}`,
        ),
        'thumbtack webhooks list',
        'jobber sync',
      ]),
    );
  });

  it.each(paths.map((p) => [p.join(' ') || '(top level)', p]))(
    '--help on %s prints its usage and exits 0',
    async (_name, path) => {
      const run = await hookport([...(path as string[]), '--help'], {});
      expect(run).toEqual({
        code: 0,
        out: expect.stringContaining(`Usage: hookport ${(path as string[]).join(' ')}`.trimEnd()),
        err: '',
      });
    },
  );

  it('the top-level help lists every command in full, with the exit codes', async () => {
    for (const argv of [['--help'], ['help'], []]) {
      const run = await hookport(argv, {});
      expect(run.code).toBe(0);
      for (const line of [
        'hookport send',
        'hookport config check',
        'hookport events replay',
        'hookport subscriptions create',
        'hookport subscriptions delete [options] <id>',
        'hookport subscriptions retry [options] <deliveryId>',
        'hookport thumbtack webhooks create',
        'hookport jobber sync',
      ]) {
        expect(run.out).toContain(line);
      }
      expect(run.out).toContain('Exit codes: 0 done, 1 failed, 64 bad usage, 78 missing configuration.');
    }
  });

  it.each([
    [['send', '--bogus']],
    [['events', 'list', '--bogus']],
    [['events', 'list', '--limit']],
    [['events', 'list', '--limit', '501']],
    [['events', 'list', '--since', 'yesterday']],
    [['events', 'show']],
    [['events', 'show', 'not-an-id']],
    [['events', 'replay']],
    [['events', 'replay', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11', '--status', 'dead']],
    [['subscriptions', 'create', '--events', 'lead.created']],
    [['subscriptions', 'create', 'https://example.com/hook']],
    [['subscriptions', 'create', 'https://example.com/hook', '--events', ' , ']],
    [['subscriptions', 'create', 'https://example.com/hook', '--events', '*', '--kind', 'email']],
    [['subscriptions', 'update', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11']],
    [['subscriptions', 'update', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11', '--enable', '--disable']],
    [['subscriptions', 'update', 'not-an-id', '--enable']],
    [['subscriptions', 'delete']],
    [['subscriptions', 'delete', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11']],
    [['subscriptions', 'test', 'not-an-id']],
    [['subscriptions', 'deliveries', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11', '--status', 'lost']],
    [['subscriptions', 'deliveries', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11', '--limit', '0']],
    [['subscriptions', 'retry', 'not-an-id']],
    [['subscriptions']],
    [['config', 'check', 'extra']],
    [['events']],
    [['nope']],
  ])('bad usage exits 64: hookport %j', async (argv) => {
    const run = await hookport(argv, { ADMIN_TOKEN: 'usage-test-admin-token-0123456789abcdef' });
    expect(run.code).toBe(64);
    expect(run.out).toBe('');
    expect(run.err).not.toBe('');
  });
});

import { startServer, type ServerProcess } from '../helpers/processes';

/** What `npm start` says of settings it does not act on, before it serves a single webhook. */
describe('start-up and settings it will not act on', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    server = undefined;
  });

  it('stops, naming the variable, when asked not to verify webhooks', async () => {
    await expect(startServer({ DATA_DIR: 'memory://', VERIFY_WEBHOOK_SIGNATURES: 'false' })).rejects.toThrow(
      /exited with 78 before listening: hookport: Invalid configuration:\n {2}VERIFY_WEBHOOK_SIGNATURES: Hookport never accepts/,
    );
  });

  it('warns of a name it does not read, of secrets stored in plain text, and of no provider configured', async () => {
    server = await startServer({ DATA_DIR: 'memory://', JOBBER_WEBHOOK_SECRET: 'seed-style-secret' });
    const warnings = server.lines.filter((l) => l.message === 'configuration warning');
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        variable: 'JOBBER_WEBHOOK_SECRET',
        reason: 'Hookport does not read it; set JOBBER_CLIENT_SECRET instead',
      }),
      expect.objectContaining({
        level: 'warn',
        variable: 'HOOKPORT_ENCRYPTION_KEY',
        reason: expect.stringContaining(
          'stored secrets (subscription signing secrets, Slack webhook URLs, provider tokens) are kept in plain text',
        ),
      }),
      expect.objectContaining({
        level: 'warn',
        variable: expect.stringContaining('RESEND_WEBHOOK_SECRET'),
        reason: 'no provider is configured: every webhook is answered 503 until one is',
      }),
    ]);
    expect(JSON.stringify(server.lines)).not.toContain('seed-style-secret');
  });
});

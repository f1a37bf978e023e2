import { request, type ClientRequest } from 'node:http';
import { TEST_SECRETS } from '../helpers/harness';
import { startServer as startProcess, type ServerProcess } from '../helpers/processes';
import { signResend } from '../helpers/sign';
import { emailEvent, emailId } from '../helpers/webhooks';

/** `npm start`'s entry point as its own process, on an in-memory database. */
const startServer = () => startProcess({ DATA_DIR: 'memory://', RESEND_WEBHOOK_SECRET: TEST_SECRETS.resendSecret });

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function liveness(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/health/live' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('npm start process', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.child.kill('SIGKILL'));

  it('on SIGTERM stops accepting, finishes the request in flight with a 200, and exits 0', async () => {
    server = await startServer();
    const body = JSON.stringify(emailEvent('email.delivered', emailId()));
    const headers = signResend(TEST_SECRETS.resendSecret, body);

    // A webhook whose body is still arriving when the signal comes.
    let req!: ClientRequest;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = request(
        {
          host: '127.0.0.1',
          port: server!.port,
          method: 'POST',
          path: '/webhooks/resend',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
    });
    req.write(body.slice(0, 20));
    await pause(300);
    server.child.kill('SIGTERM');
    await pause(500);
    // No longer accepting…
    await expect(liveness(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // …but the request in flight completes.
    req.end(body.slice(20));

    const { status, text } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ received: true, duplicate: false });
    expect(await server.exited).toBe(0);
    const messages = server.lines.map((l) => l.message);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(messages.indexOf('webhook')).toBeLessThan(messages.indexOf('stopped'));
  }, 60_000);
});

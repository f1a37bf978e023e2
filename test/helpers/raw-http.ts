import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type express from 'express';
import type { Config } from '../../src/config/config';
import { createHttpServer } from '../../src/http/http-server';

/** The app on a loopback port, as `npm start` serves it (same server options). */
export async function listen(
  app: express.Express,
  timeouts: Config['http'],
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const server = createHttpServer(app, timeouts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawAnswer {
  /** The status of the first response, 0 when none came. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From the first byte sent until the server closed the connection. */
  closedAfterMs: number;
}

export interface RawRequestOptions {
  /** Sent one after the other, `gapMs` apart, after the head; none by default. */
  parts?: (string | Buffer)[];
  gapMs?: number;
  /** Rejects when the server has not closed the connection by then. */
  timeoutMs?: number;
  /** false: the head is sent without the blank line that ends it (headers still arriving). */
  endHead?: boolean;
  /** The loopback address to connect from (another client to the server), e.g. 127.0.0.2. */
  from?: string;
}

/**
 * Sends `head` (request line and headers; the blank line that ends them is added) on a new
 * connection, then the parts, and resolves with the answer once the server closes the connection.
 * A server still waiting for a body never closes it, so the timeout is the failure.
 */
export function rawRequest(port: number, head: string, options: RawRequestOptions = {}): Promise<RawAnswer> {
  const { parts = [], gapMs = 0, timeoutMs = 5000, endHead = true, from } = options;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    const chunks: Buffer[] = [];
    const timers: NodeJS.Timeout[] = [];
    const timeout = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server had not closed the connection after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Writing to a connection the server has closed fails; its answer is what matters.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timeout);
      for (const timer of timers) clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks).toString('latin1'), Number(process.hrtime.bigint() - started) / 1e6));
    });
    const lines = head.replace(/\r?\n/g, '\r\n').replace(/(\r\n)*$/, '');
    socket.write(`${lines}\r\n${endHead ? '\r\n' : ''}`);
    parts.forEach((part, i) => {
      timers.push(setTimeout(() => socket.writable && socket.write(part), gapMs * (i + 1)));
    });
  });
}

function parseAnswer(text: string, closedAfterMs: number): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || end < 0) return { status: 0, headers: {}, body: '', closedAfterMs };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).trim().toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  const length = Number(headers['content-length'] ?? text.length);
  return {
    status: Number(statusLine!.split(' ')[1]),
    headers,
    body: text.slice(end + 4, end + 4 + length),
    closedAfterMs,
  };
}

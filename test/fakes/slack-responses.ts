import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blocksProblem, type SlackBlock } from './slack';

/**
 * A local stand-in for the `response_url` Slack gives with a slash command or a click
 * (https://hooks.slack.com/commands/… or /actions/…), speaking its protocol: a POST of a JSON
 * message; `200 ok` when it is accepted, `400 invalid_payload` when the body is not JSON, has
 * neither `text` nor `blocks`, or breaks Block Kit's rules (actions blocks of buttons included).
 * Every request is kept, with its path and parsed message.
 */

export interface ResponsePost {
  path: string;
  message: ({ text?: string; blocks?: SlackBlock[] } & Record<string, unknown>) | null;
  answered: number;
}

interface Button {
  type?: unknown;
  text?: { type?: unknown; text?: unknown };
  action_id?: unknown;
  value?: unknown;
}

/** Why an actions block is refused (buttons only, Block Kit's lengths), or null. */
function actionsProblem(block: { elements?: unknown }): string | null {
  if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25)
    return 'actions: 1 to 25 elements';
  for (const b of block.elements as Button[]) {
    if (b.type !== 'button') return 'actions: only buttons here';
    if (b.text?.type !== 'plain_text' || typeof b.text.text !== 'string' || b.text.text.length > 75)
      return 'button: plain_text of at most 75';
    if (typeof b.action_id !== 'string' || b.action_id.length > 255) return 'button: action_id';
    if (typeof b.value !== 'string' || b.value.length > 2000) return 'button: value';
  }
  return null;
}

/** Block Kit's rules for a message with actions blocks: those checked here, the others by the incoming-webhook fake. */
export function messageProblem(blocks: unknown): string | null {
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > 50) return 'more than 50 blocks';
  const actions = (blocks as { type?: unknown }[]).filter((b) => b?.type === 'actions');
  for (const a of actions) {
    const p = actionsProblem(a as { elements?: unknown });
    if (p) return p;
  }
  return blocksProblem((blocks as { type?: unknown }[]).filter((b) => b?.type !== 'actions'));
}

export class FakeSlackResponses {
  readonly posts: ResponsePost[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let message: ResponsePost['message'] = null;
      let status = 200;
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ResponsePost['message'];
      } catch {
        status = 400;
      }
      if (req.method !== 'POST') status = 405;
      else if (!message || typeof message !== 'object') status = 400;
      else if (!(typeof message.text === 'string' && message.text) && message.blocks === undefined) status = 400;
      else if (message.blocks !== undefined && messageProblem(message.blocks)) status = 400;
      this.posts.push({ path: req.url ?? '', message, answered: status });
      res.writeHead(status, { 'content-type': 'text/html' }).end(status === 200 ? 'ok' : 'invalid_payload');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.origin;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A response_url of Slack's shape, on this server. */
  responseUrl(kind: 'commands' | 'actions' = 'actions'): string {
    return `${this.origin}/${kind}/T0HOOKPORT/${Math.floor(Math.random() * 1e12)}/abcdefghijklmnopqrstuvwx`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

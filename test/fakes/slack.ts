import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a Slack incoming webhook (https://hooks.slack.com/services/T…/B…/…),
 * speaking its protocol: a POST of a JSON message; `200 ok` (text/html, as Slack answers) when it
 * is accepted; `400 invalid_payload` when the body is not JSON, carries neither `text` nor
 * `blocks`, or its blocks break Block Kit's rules (checked below: types, text objects, lengths);
 * `404 no_service` once the webhook was removed; `410 channel_is_archived` once its channel was
 * archived; `429 rate_limited` (with `retry-after`) when posting too fast. Every request is kept,
 * with its message parsed.
 */

export type SlackState = 'ok' | 'no_service' | 'channel_is_archived' | 'rate_limited';

export interface SlackPost {
  headers: Record<string, string>;
  body: string;
  message: { text?: string; blocks?: SlackBlock[] } | null;
  answered: number;
}

export interface SlackBlock {
  type: string;
  text?: { type: string; text: string; emoji?: boolean };
  fields?: { type: string; text: string }[];
  elements?: { type: string; text: unknown; action_id?: unknown; value?: unknown }[];
}

const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);

/** Why a blocks array is refused (Block Kit's limits for the block types Hookport sends), or null. */
export function blocksProblem(blocks: unknown): string | null {
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > 50) return 'more than 50 blocks';
  const textObject = (t: unknown, max: number, plainOnly = false): string | null => {
    if (!t || typeof t !== 'object') return 'a text object is missing';
    const o = t as { type?: unknown; text?: unknown };
    if (typeof o.type !== 'string' || !TEXT_TYPES.has(o.type)) return `bad text type ${String(o.type)}`;
    if (plainOnly && o.type !== 'plain_text') return 'a header takes plain_text only';
    if (typeof o.text !== 'string' || o.text.length === 0) return 'an empty text';
    if (o.text.length > max) return `a text longer than ${max}`;
    return null;
  };
  for (const b of blocks as SlackBlock[]) {
    if (!b || typeof b !== 'object') return 'a block is not an object';
    switch (b.type) {
      case 'header': {
        const p = textObject(b.text, 150, true);
        if (p) return `header: ${p}`;
        break;
      }
      case 'section': {
        if (!b.text && !b.fields) return 'section: neither text nor fields';
        if (b.text) {
          const p = textObject(b.text, 3000);
          if (p) return `section: ${p}`;
        }
        if (b.fields) {
          if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > 10)
            return 'section: 1 to 10 fields';
          for (const f of b.fields) {
            const p = textObject(f, 2000);
            if (p) return `section field: ${p}`;
          }
        }
        break;
      }
      case 'context': {
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)
          return 'context: 1 to 10 elements';
        for (const e of b.elements) {
          const p = textObject(e, 3000);
          if (p) return `context element: ${p}`;
        }
        break;
      }
      case 'actions': {
        // Block Kit: 1 to 25 elements; a button's text is plain_text of at most 75, its
        // action_id at most 255 characters, its value at most 2000.
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25)
          return 'actions: 1 to 25 elements';
        for (const e of b.elements) {
          if (e.type !== 'button') return `actions: unknown element ${String(e.type)}`;
          const p = textObject(e.text, 75, true);
          if (p) return `button: ${p}`;
          if (typeof e.action_id !== 'string' || e.action_id === '' || e.action_id.length > 255)
            return 'button: action_id of 1 to 255 characters';
          if (typeof e.value !== 'string' || e.value.length > 2000) return 'button: value of at most 2000 characters';
        }
        break;
      }
      case 'divider':
        break;
      default:
        return `unknown block type ${String(b.type)}`;
    }
  }
  return null;
}

export class FakeSlack {
  readonly posts: SlackPost[] = [];
  state: SlackState = 'ok';
  private readonly server: http.Server;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const [status, answer, message] = this.judge(req, body);
        this.posts.push({ headers: req.headers as Record<string, string>, body, message, answered: status });
        res
          .writeHead(status, { 'content-type': 'text/html', ...(status === 429 ? { 'retry-after': '1' } : {}) })
          .end(answer);
      });
    });
  }

  private judge(req: http.IncomingMessage, body: string): [number, string, SlackPost['message']] {
    if (req.method !== 'POST') return [405, 'invalid_method', null];
    if (this.state === 'no_service') return [404, 'no_service', null];
    if (this.state === 'channel_is_archived') return [410, 'channel_is_archived', null];
    if (this.state === 'rate_limited') return [429, 'rate_limited', null];
    let message: SlackPost['message'];
    try {
      message = JSON.parse(body) as SlackPost['message'];
    } catch {
      return [400, 'invalid_payload', null];
    }
    if (!message || typeof message !== 'object') return [400, 'invalid_payload', null];
    const hasText = typeof message.text === 'string' && message.text.length > 0;
    if (!hasText && message.blocks === undefined) return [400, 'invalid_payload', message];
    if (message.blocks !== undefined && blocksProblem(message.blocks)) return [400, 'invalid_payload', message];
    return [200, 'ok', message];
  }

  /** The accepted messages. */
  get messages(): NonNullable<SlackPost['message']>[] {
    return this.posts.filter((p) => p.answered === 200).map((p) => p.message!);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  /** An incoming-webhook URL of Slack's shape, on this server. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T0HOOKPORT/B0TESTING/abcdefghijklmnopqrstuvwx`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

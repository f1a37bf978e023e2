/** Block Kit, as much of it as the answers use, with Slack's limits. */

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
export interface Button {
  type: 'button';
  text: TextObject;
  action_id: string;
  value: string;
}
export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: Button[] }
  | { type: 'divider' };

/** A whole answer: `text` is what notifications and screen readers show. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's mrkdwn escaping: only these three are control characters, so `<!channel>` mentions no one. */
export const escapeMrkdwn = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Cut to Slack's length limit for a text object, counting the ellipsis. */
const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

export const MAX_BLOCKS = 50;
const SECTION_TEXT_MAX = 3000;

/** A section of mrkdwn whose values the caller has escaped. */
export const section = (mrkdwn: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: cut(mrkdwn, SECTION_TEXT_MAX) },
});
export const header = (plain: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: cut(plain, 150) },
});
export const note = (mrkdwn: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: cut(mrkdwn, 3000) }],
});
export const button = (label: string, actionId: string, value: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: cut(label, 75) },
  action_id: actionId,
  value: value.slice(0, 2000),
});
export const buttons = (...elements: Button[]): Block => ({ type: 'actions', elements });

/** "showing 5 of 3,000 — refine the search", when not everything found is shown. */
export function shownOf(shown: number, total: number): Block | undefined {
  return total > shown
    ? note(`showing ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} — refine the search`)
    : undefined;
}

/** Money as people read it: 1,234.50. */
export const money = (value: number | null | undefined): string =>
  (value ?? 0).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A message of blocks, capped at Slack's 50 (the last kept says what was left out). */
export function message(text: string, blocks: (Block | undefined)[]): SlackMessage {
  const kept = blocks.filter((b): b is Block => b !== undefined);
  if (kept.length > MAX_BLOCKS)
    kept.splice(MAX_BLOCKS - 1, kept.length, note('more than fits in one message — refine the search'));
  return { text: cut(text, 3000), blocks: kept };
}

/** Typed text fit for a query: no NULs or lone surrogates (PostgreSQL takes neither), at most 200 characters. */
export const queryText = (value: string): string =>
  value
    .replace(/\0/g, '')
    .slice(0, 200)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .trim();

import { context, fit, type Block, type Button, type SlackMessage } from '../../src/provider';

/** Block Kit as the answers use it: the kit's pieces (escaping, Slack's limits), and a few of their own. */
export { esc as escapeMrkdwn, header, section, type Block, type SlackMessage } from '../../src/provider';

export const MAX_BLOCKS = 50;

/** A context line of mrkdwn whose values the caller has escaped. */
export const note = (mrkdwn: string): Block => context(mrkdwn)!;

/** One button: its value is an id (Slack takes up to 2000 characters). */
export const button = (label: string, actionId: string, value: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: fit(label, 75), emoji: false },
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
  return { text: fit(text, 3000), blocks: kept };
}

/** Typed text fit for a query: no NULs or lone surrogates (PostgreSQL takes neither), at most 200 characters. */
export const queryText = (value: string): string =>
  value
    .replace(/\0/g, '')
    .slice(0, 200)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .trim();

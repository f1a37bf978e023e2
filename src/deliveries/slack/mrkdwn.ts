/**
 * Slack message pieces: mrkdwn escaping, length limits, and the few Block Kit blocks Hookport
 * sends. Pure functions; every value that comes from an event goes through `esc`.
 */

/** Slack's limits (Block Kit reference): a section's or a context element's text, a field, a header. */
export const LIMITS = {
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  fields: 10,
  contextElements: 10,
  fallbackText: 3000,
} as const;

export type TextObject = { type: 'mrkdwn'; text: string } | { type: 'plain_text'; text: string; emoji?: boolean };
export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: Button[] }
  | { type: 'divider' };

/** A Block Kit button: its value is an id, at most 2000 characters (Slack's limit). */
export interface Button {
  type: 'button';
  text: { type: 'plain_text'; text: string; emoji: boolean };
  action_id: string;
  value: string;
}

/** What a Slack incoming webhook takes: the `text` fallback (notifications, screen readers) and the blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Escapes Slack's control characters (&, <, >) so a value can never form a link, mention or entity. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Cuts escaped text to `max` characters (with an ellipsis), never in the middle of an entity
 * (`&amp;`, `&lt;`, `&gt;`) or of a UTF-16 surrogate pair.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const amp = text.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 5 && text.indexOf(';', amp) >= cut) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** A value made safe and short enough for a field: escaped, one line, cut. */
export const value = (v: unknown, max = 300): string =>
  fit(
    esc(
      String(v ?? '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
    max,
  );

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: fit(text, LIMITS.headerText), emoji: true },
});

export const section = (mrkdwn: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fit(mrkdwn, LIMITS.sectionText) },
});

/** A section of labelled fields (`*Label*\nvalue`); fields without a value are left out. */
export function fields(pairs: [label: string, escapedValue: string | null | undefined][]): Block | null {
  const present = pairs
    .filter((p): p is [string, string] => typeof p[1] === 'string' && p[1].length > 0)
    .slice(0, LIMITS.fields);
  if (present.length === 0) return null;
  return {
    type: 'section',
    fields: present.map(([label, v]) => ({ type: 'mrkdwn', text: fit(`*${label}*\n${v}`, LIMITS.fieldText) })),
  };
}

export const context = (...parts: (string | null | undefined)[]): Block | null => {
  const present = parts
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .slice(0, LIMITS.contextElements);
  return present.length === 0
    ? null
    : { type: 'context', elements: present.map((text) => ({ type: 'mrkdwn', text: fit(text, LIMITS.sectionText) })) };
};

/** An actions block of buttons, leaving out those without an id; null when none is left. */
export function buttons(list: [label: string, actionId: string, id: string | null | undefined][]): Block | null {
  const elements = list
    .filter((b): b is [string, string, string] => typeof b[2] === 'string' && b[2] !== '' && b[2].length <= 2000)
    .map(([label, actionId, id]): Button => ({
      type: 'button',
      text: { type: 'plain_text', text: fit(label, 75), emoji: false },
      action_id: actionId,
      value: id,
    }));
  return elements.length === 0 ? null : { type: 'actions', elements };
}

/**
 * Free text a customer wrote (a message body, a request's description), in a plain_text object:
 * Slack renders it literally, so nothing in it (`*bold*`, `_`, `~`, a backtick, `<!channel>`, a
 * link) can format, mention or link; Slack documents no escape for mrkdwn's formatting
 * characters. Trimmed and cut to fit a section.
 */
export const plainSection = (text: string, max = 2800): Block => ({
  type: 'section',
  text: { type: 'plain_text', text: fit(text.trim(), max), emoji: false },
});

/** Quoted text (a message body): every line prefixed with `>`, escaped, cut to fit a section. */
export function quote(text: string, max = 2800): string {
  const escaped = fit(esc(text.trim()), max);
  return escaped
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/**
 * A time Slack shows in the reader's own time zone (`<!date^unix^…|fallback>`), with the ISO time
 * as the fallback; null when there is none.
 */
export function when(at: Date | null | undefined): string | null {
  if (!at || Number.isNaN(at.getTime())) return null;
  const iso = at.toISOString().replace(/\.000Z$/, 'Z');
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${iso}>`;
}

/** The message, dropping empty blocks; the fallback text is escaped by the caller and cut here. */
export function message(text: string, blocks: (Block | null)[]): SlackMessage {
  return { text: fit(text, LIMITS.fallbackText), blocks: blocks.filter((b): b is Block => b !== null) };
}

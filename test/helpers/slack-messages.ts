import type { SlackBlock } from '../fakes/slack';

/** A message as the fake Slack parsed it. */
export type Message = { text?: string; blocks?: SlackBlock[] };

/** Every mrkdwn/plain text of a message, joined: what a person would read. */
export const allText = (m: Message) =>
  [
    m.text ?? '',
    ...(m.blocks ?? []).flatMap((b) => [
      b.text?.text,
      ...(b.fields ?? []).map((f) => f.text),
      ...(b.elements ?? []).map((e) => e.text),
    ]),
  ]
    .filter(Boolean)
    .join('\n');

/** The value of a `*Label*` field. */
export const field = (m: Message, label: string) =>
  (m.blocks ?? [])
    .flatMap((b) => b.fields ?? [])
    .find((f) => f.text.startsWith(`*${label}*\n`))
    ?.text.slice(label.length + 3);

export const headerOf = (m: Message) => m.blocks?.find((b) => b.type === 'header')?.text?.text;

/**
 * In every mrkdwn text (plain_text is shown literally, so it needs no escaping), no raw < or >
 * outside Slack's own date token, the quote marks at line starts and the `allowed` markup the
 * message means to send (a link), and no & that is not an entity: every value was escaped.
 */
export function expectEscaped(m: Message, allowed: readonly RegExp[] = []): void {
  const mrkdwnOnly: Message = {
    ...m,
    blocks: (m.blocks ?? [])
      .filter((b) => b.text?.type !== 'plain_text' || b.type === 'header')
      .map((b) => ({ ...b, fields: b.fields?.filter((f) => f.type !== 'plain_text') })),
  };
  const text = allowed
    .reduce((t, markup) => t.replace(markup, ''), allText(mrkdwnOnly))
    .replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, '')
    .replace(/^>/gm, '');
  expect(text).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
}

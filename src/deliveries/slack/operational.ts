import { OPERATIONAL_TYPES } from '../../events/operational-types';
import { context, esc, fields, header, message, plainSection, value, when, type SlackMessage } from './mrkdwn';
import type { SlackEvent } from './render';

/**
 * Slack messages for Hookport's operational events (hookport.*), so that a Slack subscription to
 * `hookport.*` is an alert channel: what broke, which subscription, delivery or inbox event, why,
 * and a link to its console page when PUBLIC_BASE_URL says where the console is. Every value is
 * escaped; the reason (which may quote a receiver or a payload) goes in plain_text.
 */

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? String(v) : null);
const code = (v: unknown, max = 200): string | null => (str(v) ? `\`${value(v, max)}\`` : null);

/** A link to a console page (its path made of ids Hookport wrote), or null without PUBLIC_BASE_URL. */
function consoleLink(e: SlackEvent, path: string, id: unknown): string | null {
  if (!e.consoleUrl || !str(id)) return null;
  return `<${esc(`${e.consoleUrl}/${path}/${encodeURIComponent(id as string)}`)}|Open in the Hookport console>`;
}

/** The reason, in plain_text: it may quote a receiver's answer or a payload. */
const reasonOf = (e: SlackEvent) => (str(e.data?.reason) ? plainSection(e.data!.reason as string) : null);

/** The last line: the console link (when there is one), then the event type. */
const footerOf = (e: SlackEvent, path: string, id: unknown, ...more: (string | null)[]) =>
  context(consoleLink(e, path, id), ...more, `\`${value(e.type)}\``);

/** Names a subscription as people know it: its description, else its URL as shown, else its id. */
const subscriptionName = (s: Json): string =>
  value(str(s.description) ?? str(s.url) ?? str(s.id) ?? 'a subscription', 200);

function subscriptionMessage(e: SlackEvent, title: string, text: string): SlackMessage {
  const s = e.object ?? {};
  return message(text, [
    header(title),
    fields([
      ['Subscription', subscriptionName(s)],
      ['URL', str(s.url) ? value(s.url, 300) : null],
      // In code spans: the `*` of `lead.*` must not start bold text.
      [
        'Event types',
        Array.isArray(s.eventTypes)
          ? s.eventTypes
              .slice(0, 20)
              .map((t) => code(t, 100))
              .join(', ')
          : null,
      ],
      ['Failing since', when(str(s.failingSince) ? new Date(s.failingSince as string) : null)],
      ['When', when(e.at)],
    ]),
    reasonOf(e),
    footerOf(e, 'subscriptions', s.id, code(s.id)),
  ]);
}

function deliveryDead(e: SlackEvent): SlackMessage {
  const o = e.object ?? {};
  return message(
    `Delivery dead: ${value(o.eventType ?? 'an event', 200)} to subscription ${value(o.subscriptionId ?? '(unknown)')}`,
    [
      header('Delivery dead: no retry left'),
      fields([
        ['Event type', code(o.eventType)],
        ['Attempts', num(o.attempts)],
        ['Last answer', num(o.lastStatus) ?? 'none'],
        ['Subscription', code(o.subscriptionId)],
        ['Delivery', code(o.id)],
        ['When', when(e.at)],
      ]),
      reasonOf(e),
      footerOf(e, 'subscriptions', o.subscriptionId),
    ],
  );
}

function eventDead(e: SlackEvent): SlackMessage {
  const o = e.object ?? {};
  return message(`Inbox event dead: ${value(o.provider ?? 'an', 50)} ${value(o.eventType ?? 'event', 200)}`, [
    header('Inbox event dead-lettered'),
    fields([
      ['Provider', str(o.provider) ? value(o.provider, 50) : null],
      ['Type', code(o.eventType)],
      ['Attempts', num(o.attempts)],
      ['Received', when(str(o.receivedAt) ? new Date(o.receivedAt as string) : null)],
      ['Event', code(o.id)],
    ]),
    reasonOf(e),
    footerOf(e, 'events', o.id),
  ]);
}

/** The message for an operational event, or null when the type is not one. */
export function renderOperational(e: SlackEvent): SlackMessage | null {
  const s = e.object ?? {};
  switch (e.type) {
    case OPERATIONAL_TYPES.subscriptionDisabled:
      return subscriptionMessage(e, 'Subscription disabled', `Subscription disabled: ${subscriptionName(s)}`);
    case OPERATIONAL_TYPES.deliveryFailing:
      return subscriptionMessage(e, 'Deliveries failing', `Deliveries failing for ${subscriptionName(s)}`);
    case OPERATIONAL_TYPES.deliveryDead:
      return deliveryDead(e);
    case OPERATIONAL_TYPES.eventDead:
      return eventDead(e);
    default:
      return null;
  }
}

import { SLACK_ACTIONS, type SlackAction } from './actions';
import {
  buttons,
  context,
  esc,
  fields,
  header,
  message,
  plainSection,
  section,
  value,
  when,
  type SlackMessage,
} from './mrkdwn';

/**
 * Slack messages for people, one function per event family. Pure: they take what the delivery
 * has (the canonical event and the fields of its record, read by record.ts) and never fail on a
 * missing field (they leave it out). Every interpolated value is escaped (esc/value), and free
 * text a customer wrote goes in plain_text (plainSection), where nothing formats.
 */

/** The fields of an event's record that the messages use (record.ts reads them; any may be missing). */
export interface SlackRecordFields {
  // lead
  customerName?: string | null;
  category?: string | null;
  location?: Record<string, unknown> | string | null;
  description?: string | null;
  leadCreatedAt?: Date | string | null;
  // invoice
  invoiceNumber?: string | null;
  subject?: string | null;
  total?: number | null;
  amountPaid?: number | null;
  clientName?: string | null;
  clientExternalId?: string | null;
  // message
  fromAddress?: string | null;
  senderName?: string | null;
  body?: string | null;
  mediaCount?: number | null;
  // email
  toAddresses?: string[] | null;
  emailSubject?: string | null;
  emailFrom?: string | null;
  bounce?: Record<string, unknown> | null;
}

export interface SlackEvent {
  type: string;
  /** When it happened (the event's time, else when Hookport recorded it). */
  at: Date | null;
  provider: string | null;
  /** How people name the provider and its message channel (from its declaration); else its name. */
  source?: { label: string; channel: string } | null;
  recordKind: string | null;
  externalId: string | null;
  /** The canonical event's `data` (a small summary; often empty). */
  data: Record<string, unknown> | null;
  /** The record's fields, or null when it has none or it is gone. */
  record: SlackRecordFields | null;
  /** The buttons someone answers (a configured provider takes their clicks); none by default. */
  actions?: ReadonlySet<string>;
  /** `data.object` as the body has it (the operational events read theirs). */
  object?: Record<string, unknown> | null;
  /** The console's address (PUBLIC_BASE_URL + /admin) for links; null without PUBLIC_BASE_URL. */
  consoleUrl?: string | null;
}

/** The button, when someone answers its clicks. */
const button = (e: SlackEvent, label: string, action: SlackAction, id: string | null | undefined) =>
  e.actions?.has(action) ? ([label, action, id] as [string, string, string | null | undefined]) : null;
const actionsOf = (...list: (ReturnType<typeof button> | null)[]) =>
  buttons(list.filter((b): b is NonNullable<typeof b> => b !== null));

const providerName = (e: SlackEvent) => e.source?.label ?? e.provider;
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
const date = (v: Date | string | null | undefined): Date | null => (v ? new Date(v) : null);

/** The footer every message ends with: where it came from, the event type, the record. */
function footer(e: SlackEvent): ReturnType<typeof context> {
  const record = e.recordKind ? `${value(e.recordKind, 50)} \`${value(e.externalId ?? '—', 200)}\`` : null;
  return context([value(providerName(e), 50), `\`${value(e.type, 200)}\``, record].filter(Boolean).join(' · '));
}

/** A location object (address1, city, state, zipCode) or text, on one line. */
export function locationText(location: SlackRecordFields['location']): string | null {
  if (!location) return null;
  if (typeof location === 'string') return str(location);
  const l = location;
  const cityState = [
    str(l.city),
    [str(l.state), str(l.zipCode) ?? str(l.zip) ?? str(l.postalCode)].filter(Boolean).join(' '),
  ]
    .filter(Boolean)
    .join(', ');
  return [str(l.address1), str(l.address2), cityState].filter(Boolean).join(', ') || null;
}

/** An amount with two decimals and thousands separators (the account's currency is not known here). */
export function amountText(n: number | null | undefined): string | null {
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function renderLead(e: SlackEvent): SlackMessage {
  const r = e.record ?? {};
  const customer = str(r.customerName);
  const category = str(r.category);
  const location = locationText(r.location);
  const at = date(r.leadCreatedAt) ?? e.at;
  const text = `New lead${customer ? ` from ${value(customer)}` : ''}${category ? `: ${value(category)}` : ''}${location ? ` in ${value(location)}` : ''}`;
  return message(text, [
    header('New lead'),
    fields([
      ['Customer', customer ? value(customer) : null],
      ['Category', category ? value(category) : null],
      ['Location', location ? value(location) : null],
      ['When', when(at)],
    ]),
    str(r.description) ? plainSection(r.description!) : null,
    actionsOf(button(e, 'Show lead', SLACK_ACTIONS.lead, e.recordKind === 'lead' ? e.externalId : null)),
    footer(e),
  ]);
}

export function renderInvoicePaid(e: SlackEvent): SlackMessage {
  const r = e.record ?? {};
  const d = e.data ?? {};
  const number = str(r.invoiceNumber) ?? str(d.invoiceNumber);
  const amount = amountText(r.amountPaid ?? r.total ?? (typeof d.total === 'number' ? d.total : null));
  const client = str(r.clientName);
  const text = `Invoice${number ? ` #${value(number)}` : ''} paid${amount ? `: ${amount}` : ''}${client ? ` by ${value(client)}` : ''}`;
  return message(text, [
    header('Invoice paid'),
    fields([
      ['Invoice', number ? `#${value(number)}` : null],
      ['Amount', amount],
      ['Client', client ? value(client) : null],
      ['Paid', when(e.at)],
    ]),
    str(r.subject) ? section(value(r.subject, 500)) : null,
    actionsOf(
      button(e, 'Show client', SLACK_ACTIONS.client, str(r.clientExternalId)),
      button(e, 'Show invoice', SLACK_ACTIONS.invoice, e.recordKind === 'invoice' ? e.externalId : null),
    ),
    footer(e),
  ]);
}

export function renderMessageReceived(e: SlackEvent): SlackMessage {
  const r = e.record ?? {};
  const name = str(r.senderName);
  const address = str(r.fromAddress);
  // A name when there is one (a sender address may be an internal id), else the address (a phone number).
  const sender = value(name ?? address ?? 'unknown sender');
  const channel = e.source?.channel ?? providerName(e);
  const body = str(r.body);
  const media =
    typeof r.mediaCount === 'number' && r.mediaCount > 0
      ? `${r.mediaCount} attachment${r.mediaCount === 1 ? '' : 's'}`
      : null;
  const text = `New ${channel ? `${value(channel)} ` : ''}message from ${sender}${body ? `: ${value(body, 200)}` : ''}`;
  return message(text, [
    header('New message'),
    fields([
      ['From', sender],
      ['Via', channel ? value(channel) : null],
      ['When', when(e.at)],
    ]),
    body ? plainSection(body) : section('_(no text)_'),
    context(media ?? ''),
    footer(e),
  ]);
}

/** A bounce object as a sentence: its message, then type/subtype and the SMTP diagnostic. */
export function bounceReason(bounce: Record<string, unknown> | null | undefined): string | null {
  if (!bounce) return null;
  const kind = [str(bounce.type), str(bounce.subType)].filter(Boolean).join(' / ');
  const diagnostic = Array.isArray(bounce.diagnosticCode)
    ? bounce.diagnosticCode.map(str).filter(Boolean).join('; ')
    : str(bounce.diagnosticCode);
  return [str(bounce.message), kind ? `(${kind})` : null, diagnostic].filter(Boolean).join(' ') || null;
}

export function renderEmailProblem(e: SlackEvent): SlackMessage {
  const r = e.record ?? {};
  const complained = e.type === 'email.complained';
  const to = (r.toAddresses ?? []).filter((a) => typeof a === 'string' && a !== '');
  const address = to.length > 0 ? value(to.join(', '), 500) : null;
  const reason = complained ? 'The recipient marked it as spam.' : bounceReason(r.bounce);
  const what = complained ? 'Email marked as spam' : 'Email bounced';
  const text = `${what}${address ? `: ${address}` : ''}${reason ? ` (${value(reason, 500)})` : ''}`;
  return message(text, [
    header(what),
    fields([
      ['To', address],
      ['Subject', str(r.emailSubject) ? value(r.emailSubject) : null],
      ['From', str(r.emailFrom) ? value(r.emailFrom) : null],
      ['When', when(e.at)],
    ]),
    reason ? section(`*Reason*\n${value(reason, 2800)}`) : null,
    footer(e),
  ]);
}

const REASONS: Record<string, string> = {
  opted_out: 'opted out',
  bounced: 'bounced for good',
  complained: 'marked an email as spam',
  suppressed: "is on the provider's suppression list",
};

/** An address that must no longer be messaged, or may be again (contact.suppressed / contact.unsuppressed). */
export function renderSuppression(e: SlackEvent): SlackMessage {
  const d = e.data ?? {};
  const lifted = e.type === 'contact.unsuppressed';
  const address = value(str(d.address) ?? e.externalId ?? 'an address', 300);
  const reason = str(d.reason);
  const detail = str(d.detail);
  const what = lifted ? 'May be messaged again' : 'Do not message';
  const why = lifted ? 'opted in again' : reason ? (REASONS[reason] ?? value(reason, 50)) : 'was suppressed';
  const text = `${what}: ${address} ${why}${detail && !lifted ? ` (${value(detail, 200)})` : ''}`;
  return message(text, [
    header(what),
    fields([
      ['Address', address],
      ['Channel', str(d.channel) ? value(d.channel as string, 20) : null],
      [lifted ? 'Lifted' : 'Since', when(e.at)],
      ['Reason', lifted ? null : value(why, 100)],
    ]),
    detail && !lifted ? plainSection(detail) : null,
    footer(e),
  ]);
}

/** Any other event: its type, when, and the record it is about. */
export function renderGeneric(e: SlackEvent): SlackMessage {
  const record = e.recordKind ? `${value(e.recordKind, 50)} ${value(e.externalId ?? '(no id)', 200)}` : null;
  return message(`Hookport event ${value(e.type, 200)}${record ? ` for ${record}` : ''}`, [
    header('Hookport event'),
    fields([
      ['Event', `\`${value(e.type, 200)}\``],
      ['When', when(e.at)],
      ['Record', record],
      ['Source', value(providerName(e), 50) || null],
    ]),
    footer(e),
  ]);
}

/** The message a test send (`POST …/:id/test`) posts. */
export function renderTest(subscriptionId: string, at: Date): SlackMessage {
  return message('Hookport test message: this Slack destination works.', [
    header('Hookport test message'),
    section(`If you can read this, Hookport can post to this channel. Subscription \`${esc(subscriptionId)}\`.`),
    context(when(at)),
  ]);
}

/** The message for an event, by family. */
export function renderSlackMessage(e: SlackEvent): SlackMessage {
  switch (e.type) {
    case 'lead.created':
      return renderLead(e);
    case 'invoice.paid':
      return renderInvoicePaid(e);
    case 'message.received':
      return renderMessageReceived(e);
    case 'email.bounced':
    case 'email.complained':
      return renderEmailProblem(e);
    case 'contact.suppressed':
    case 'contact.unsuppressed':
      return renderSuppression(e);
    default:
      return renderGeneric(e);
  }
}

import { normalizeEmail, suppressionChange, type SuppressionChange, type SuppressionReason } from '../../src/provider';
import { z } from 'zod';
import type { EmailData } from './schema';

/** A detail is a short reason for people, not the whole diagnostic. */
const MAX_DETAIL_CHARS = 500;

/** Resend's bounce types that mean the address will never take mail: `Permanent` (SES), `hard`. */
const isPermanent = (type: string | undefined) => /^(permanent|hard)$/i.test(type?.trim() ?? '');

const recipients = (to: EmailData['to']): string[] => {
  const list = to === undefined ? [] : Array.isArray(to) ? to : [to];
  return [...new Set(list.map(normalizeEmail).filter((a): a is string => a !== null))];
};

/** The bounce's own words: its message and SMTP diagnostic codes (a string or a list of them). */
function bounceText(bounce: EmailData['bounce']): string {
  const diagnostic = (bounce as { diagnosticCode?: unknown } | undefined)?.diagnosticCode;
  const codes = Array.isArray(diagnostic) ? diagnostic : [diagnostic];
  return [bounce?.message, ...codes]
    .filter((t): t is string => typeof t === 'string')
    .join('\n')
    .toLowerCase();
}

/** Whether `text` names `address` as a whole (not `a@x.com` inside `aa@x.com` or `a@x.com.au`). */
export function mentions(text: string, address: string): boolean {
  for (let at = text.indexOf(address); at >= 0; at = text.indexOf(address, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text.slice(at + address.length, at + address.length + 2);
    if (!/[a-z0-9!#$%&'*+/=?^_`{|}~.-]/.test(before) && !/^([a-z0-9-]|\.[a-z0-9])/.test(after)) return true;
  }
  return false;
}

/**
 * The addresses an email event suppresses: a permanent bounce, a complaint or a suppression by
 * Resend. An email to one recipient suppresses it. Resend sends one event for an email to several,
 * without saying which recipient it is about: a bounce then suppresses only the recipients its
 * message or diagnostic names, and a complaint or suppression none (suppressing them all would
 * stop mail to people who did nothing).
 */
export function suppressionsOf(status: string, data: EmailData, at: Date, eventId: string): SuppressionChange[] {
  let reason: SuppressionReason;
  let detail: string | undefined;
  if (status === 'bounced' && isPermanent(data.bounce?.type)) [reason, detail] = ['bounced', data.bounce?.message];
  else if (status === 'complained') reason = 'complained';
  else if (status === 'suppressed') [reason, detail] = ['suppressed', data.suppressed?.message];
  else return [];
  let addresses = recipients(data.to);
  if (addresses.length > 1) {
    const text = reason === 'bounced' ? bounceText(data.bounce) : '';
    addresses = addresses.filter((address) => mentions(text, address));
  }
  return addresses.map((address) =>
    suppressionChange({
      channel: 'email',
      address,
      provider: 'resend',
      eventId,
      at,
      suppressed: true,
      reason,
      detail: detail ? detail.slice(0, MAX_DETAIL_CHARS) : null,
    }),
  );
}

/** Resend's own suppression list, as its `suppression.added` / `suppression.removed` webhooks tell it. */
const listEntry = z.object({ email: z.string(), origin: z.string().nullish() });
const ORIGIN_REASONS = new Map<string, SuppressionReason>([
  ['bounce', 'bounced'],
  ['complaint', 'complained'],
]);

/**
 * An address Resend added to or removed from the account's suppression list: added, it is
 * suppressed (reason from its origin: `bounce`, `complaint`, else `suppressed`, e.g. added by
 * hand); removed, the suppression is lifted, so an address taken off at Resend may be mailed
 * again here too. Nothing for a body without a usable address.
 */
export function listSuppressionOf(type: string, data: unknown, at: Date, eventId: string): SuppressionChange[] {
  const parsed = listEntry.safeParse(data);
  const address = parsed.success ? normalizeEmail(parsed.data.email) : null;
  if (!parsed.success || !address) return [];
  const fact = { channel: 'email', address, provider: 'resend', eventId, at } as const;
  if (type === 'suppression.removed') return [suppressionChange({ ...fact, suppressed: false })];
  const origin = parsed.data.origin ?? null;
  const reason = (origin ? ORIGIN_REASONS.get(origin) : undefined) ?? 'suppressed';
  return [
    suppressionChange({
      ...fact,
      suppressed: true,
      reason,
      detail: origin ? `on Resend's suppression list (origin: ${origin.slice(0, 50)})` : "on Resend's suppression list",
    }),
  ];
}

import { parseWithSchema } from '../../src/payload';
import type { EventContext, Normalized } from '../../src/provider';
import type { EmailChange } from '../../src/records/changes';
import { emailDataSchema, type EmailData, type ResendEvent } from './schema';
import { emailStatusRank } from './status';
import { listSuppressionOf, suppressionsOf } from './suppression';

const EMAIL_STATUSES = new Set([
  'sent', 'scheduled', 'delivered', 'delivery_delayed', 'complained', 'bounced',
  'opened', 'clicked', 'received', 'failed', 'suppressed',
]);
/** Event families Hookport stores and passes on as canonical events, with no table of their own. */
const PASS_THROUGH = ['contact.', 'domain.', 'suppression.'];

function tagObject(tags: EmailData['tags']): Record<string, string> | undefined {
  if (!tags) return undefined;
  return Array.isArray(tags) ? Object.fromEntries(tags.map((t) => [t.name, t.value])) : tags;
}

function emailChange(status: string, at: Date, data: EmailData): EmailChange {
  const to = data.to === undefined ? undefined : Array.isArray(data.to) ? data.to : [data.to];
  return {
    kind: 'email',
    provider: 'resend',
    externalId: data.email_id,
    direction: status === 'received' ? 'inbound' : 'outbound',
    messageId: data.message_id,
    fromAddress: data.from,
    toAddresses: to,
    subject: data.subject,
    tags: tagObject(data.tags),
    sentAt: data.created_at ? new Date(data.created_at) : undefined,
    status,
    statusRank: emailStatusRank(status),
    statusAt: at,
    opened: status === 'opened' ? { at } : undefined,
    clicked:
      status === 'clicked'
        ? { at: data.click?.timestamp ? new Date(data.click.timestamp) : at, link: data.click?.link ?? null }
        : undefined,
    bounce: status === 'bounced' ? (data.bounce ?? {}) : undefined,
    complainedAt: status === 'complained' ? at : undefined,
    failureReason: status === 'failed' ? (data.failed?.reason ?? 'failed') : undefined,
    suppression: status === 'suppressed' ? (data.suppressed ?? {}) : undefined,
  };
}

/** A bounce, complaint or suppression also suppresses the address (see suppression.ts). */
export function normalizeResend(event: ResendEvent, context: Pick<EventContext, 'id'>): Normalized<'email' | 'suppression'> {
  const at = new Date(event.created_at);
  if (event.type.startsWith('email.')) {
    const status = event.type.slice('email.'.length);
    if (!EMAIL_STATUSES.has(status)) return { ignored: `unknown Resend email event ${event.type}` };
    const data = parseWithSchema(emailDataSchema, event.data, 'data');
    const suppressed = suppressionsOf(status, data, at, context.id);
    return {
      events: [{ type: event.type, occurredAt: at, record: emailChange(status, at, data), ...(suppressed.length > 0 ? { also: suppressed } : {}) }],
    };
  }
  if (event.type === 'suppression.added' || event.type === 'suppression.removed') {
    const changes = listSuppressionOf(event.type, event.data, at, context.id);
    return { events: [{ type: `resend.${event.type}`, occurredAt: at, ...(changes.length > 0 ? { also: changes } : {}) }] };
  }
  if (PASS_THROUGH.some((prefix) => event.type.startsWith(prefix))) {
    return { events: [{ type: `resend.${event.type}`, occurredAt: at }] };
  }
  return { ignored: `unknown Resend event type ${event.type}` };
}

import { type EmailChange, type EventContext, type Normalized, parseWithSchema } from '../../src/provider';
import { EMAIL_STATUSES, PASS_THROUGH } from './event-types';
import { emailDataSchema, type EmailData, type ResendEvent } from './schema';
import { emailStatusRank } from './status';
import { listSuppressionOf, suppressionsOf } from './suppression';

const EMAIL_STATUS_SET = new Set<string>(EMAIL_STATUSES);

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

/**
 * An email event updates its row; a bounce, complaint or suppression also suppresses the address
 * (see suppression.ts). Resend's other types carry their `data`, normalized, as `data.object`.
 */
export function normalizeResend(
  event: ResendEvent,
  context: Pick<EventContext, 'id'>,
): Normalized<'email' | 'suppression'> {
  const at = new Date(event.created_at);
  if (event.type.startsWith('email.')) {
    const status = event.type.slice('email.'.length);
    if (!EMAIL_STATUS_SET.has(status)) return { ignored: `unknown Resend email event ${event.type}` };
    const data = parseWithSchema(emailDataSchema, event.data, 'data');
    const suppressed = suppressionsOf(status, data, at, context.id);
    return {
      events: [
        {
          type: event.type,
          occurredAt: at,
          record: emailChange(status, at, data),
          ...(suppressed.length > 0 ? { also: suppressed } : {}),
        },
      ],
    };
  }
  // Own keys only: a type such as `constructor` is not one of them.
  const passThrough = Object.hasOwn(PASS_THROUGH, event.type) ? PASS_THROUGH[event.type] : undefined;
  if (!passThrough) return { ignored: `unknown Resend event type ${event.type}` };
  const object = passThrough.object.of(event.data);
  // Resend's own suppression list: its entries are suppressions here too.
  const also = event.type.startsWith('suppression.') ? listSuppressionOf(event.type, event.data, at, context.id) : [];
  return { events: [{ type: `resend.${event.type}`, occurredAt: at, object, ...(also.length > 0 ? { also } : {}) }] };
}

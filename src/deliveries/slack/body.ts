import type { ClaimedDelivery } from '../claim';
import type { ProviderLabels } from './labels';
import { renderOperational } from './operational';
import { renderSlackMessage, renderTest, type SlackEvent, type SlackRecordFields } from './render';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The fields a Slack message shows, from the event's own snapshot (`data.object`, keyed by
 * column names): what was true when the event happened, never the row as it is at send time.
 */
export function slackRecordFields(recordKind: string | null, object: Json, data: Json): SlackRecordFields | null {
  switch (recordKind) {
    case 'lead':
      return {
        customerName: object.customer_name as string | null,
        category: object.category as string | null,
        location: object.location as SlackRecordFields['location'],
        description: object.description as string | null,
        leadCreatedAt: object.lead_created_at as string | null,
      };
    case 'invoice':
      return {
        invoiceNumber: object.invoice_number as string | null,
        subject: object.subject as string | null,
        total: object.total as number | null,
        amountPaid: object.amount_paid as number | null,
        clientName: typeof data.clientName === 'string' ? data.clientName : null,
        clientExternalId: object.client_external_id as string | null,
      };
    case 'message':
      return {
        fromAddress: object.from_address as string | null,
        senderName: object.sender_name as string | null,
        body: object.body as string | null,
        mediaCount: Array.isArray(object.media) ? object.media.length : 0,
      };
    case 'email':
      return {
        toAddresses: Array.isArray(object.to_addresses) ? (object.to_addresses as string[]) : null,
        emailSubject: object.subject as string | null,
        emailFrom: object.from_address as string | null,
        bounce: isObject(object.bounce) ? object.bounce : null,
      };
    default:
      return null;
  }
}

/** The type-specific fields of a body's data: everything beside object, previous and source. */
function fieldsOf(data: Json): Json {
  const { object: _o, previous: _p, source: _s, ...fields } = data;
  return fields;
}

/**
 * The JSON body of a Slack delivery: the message for its canonical event, written from the
 * event's stored body, or the test message for a `webhook.test` send. Pure: it reads nothing.
 */
export function slackBody(
  d: ClaimedDelivery,
  labels: ProviderLabels = {},
  now = new Date(),
  actions: ReadonlySet<string> = new Set(),
  consoleUrl: string | null = null,
): string {
  const e = d.event;
  if (!e || d.eventType === 'webhook.test') return JSON.stringify(renderTest(d.subscriptionId, now));
  const body = e.body ? (JSON.parse(e.body) as { data?: unknown }) : null;
  const data = isObject(body?.data) ? body.data : null;
  const object = data && isObject(data.object) ? data.object : null;
  const fields = data ? fieldsOf(data) : e.data;
  const event: SlackEvent = {
    type: d.eventType,
    at: e.occurredAt ?? e.createdAt,
    provider: e.provider ?? null,
    source: e.provider ? (labels[e.provider] ?? null) : null,
    recordKind: e.recordKind ?? null,
    externalId: e.externalId ?? null,
    data: fields,
    record: object ? slackRecordFields(e.recordKind ?? null, object, fields ?? {}) : null,
    actions,
    object,
    consoleUrl,
  };
  return JSON.stringify(renderOperational(event) ?? renderSlackMessage(event));
}

/** Slack's answers that mean the incoming webhook is gone for good: disable like a 410. */
export const slackGone = (status: number | null): boolean => status === 404 || status === 410;

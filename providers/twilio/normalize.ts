import {
  type EventContext,
  type Normalized,
  normalizePhone,
  suppressionChange,
  type SuppressionChange,
} from '../../src/provider';
import { optOutIntent } from './opt-out';
import type { TwilioMessage } from './schema';
import { twilioErrorMessage, twilioStatusRank } from './status';

/** Twilio attaches at most 10 media to a message; a larger signed NumMedia must not spin the worker. */
const MAX_MEDIA = 10;

/** Postgres `integer`: a signed value beyond it would fail every attempt, so it is dropped instead. */
const MAX_INT4 = 2_147_483_647;

function media(payload: TwilioMessage): { url: string; contentType: string | null }[] | undefined {
  const count = Math.min(Number(payload.NumMedia ?? 0), MAX_MEDIA);
  if (count === 0) return undefined;
  const items = [];
  for (let i = 0; i < count; i++) {
    const url = payload[`MediaUrl${i}`];
    if (typeof url !== 'string') continue;
    const type = payload[`MediaContentType${i}`];
    items.push({ url, contentType: typeof type === 'string' ? type : null });
  }
  return items;
}

function segments(value: string | undefined): number | undefined {
  const n = value ? Number(value) : NaN;
  return n <= MAX_INT4 ? n : undefined;
}

/** Query parameters kept at most, and the longest name or value: the URL is signed, but still bounded. */
const MAX_METADATA_KEYS = 50;
const MAX_METADATA_CHARS = 1024;

/**
 * The query of the URL Twilio called: people put their own ids in a StatusCallback URL
 * (`…/webhooks/twilio?ref=order-123`), as Twilio has no metadata field. Twilio signed the URL, so
 * the query is as the sender set it. A name given twice keeps every value, in order.
 */
export function callbackMetadata(requestPath: string | null): Record<string, string | string[]> | undefined {
  // Everything after the first '?': a value may hold another '?' (URLSearchParams keeps it).
  const query = requestPath?.includes('?') ? requestPath.slice(requestPath.indexOf('?') + 1) : '';
  if (!query) return undefined;
  const metadata: Record<string, string | string[]> = Object.create(null);
  let keys = 0;
  for (const [name, value] of new URLSearchParams(query)) {
    if (name.length > MAX_METADATA_CHARS || value.length > MAX_METADATA_CHARS) continue;
    const seen = metadata[name];
    if (seen === undefined) {
      if (++keys > MAX_METADATA_KEYS) break;
      metadata[name] = value;
    } else metadata[name] = [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return keys > 0 ? { ...metadata } : undefined;
}

/** What the normalizer needs to know of the inbound event: its id, when it came, the URL Twilio called. */
export type TwilioContext = Pick<EventContext, 'id' | 'receivedAt' | 'requestPath'>;

/**
 * An inbound opt-out (STOP, …) suppresses the sender, an opt-in (START, UNSTOP) lifts it. Only a
 * plain phone number: a `whatsapp:` or `messenger:` sender is another channel. Twilio sends no
 * time with an inbound message, so the fact's time is when Hookport received it.
 */
function consentChange(payload: TwilioMessage, context: TwilioContext): SuppressionChange | undefined {
  const intent = optOutIntent(payload.Body, payload.OptOutType);
  const address = payload.From === undefined ? null : normalizePhone(payload.From);
  if (!intent || !address) return undefined;
  const fact = { channel: 'sms', address, provider: 'twilio', eventId: context.id, at: context.receivedAt } as const;
  return suppressionChange(
    intent.optOut
      ? { ...fact, suppressed: true, reason: 'opted_out', detail: intent.keyword }
      : { ...fact, suppressed: false },
  );
}

/** Inbound SMS/MMS → a new inbound message; a status callback → the message's status (created if unseen). */
export function normalizeTwilio(payload: TwilioMessage, context: TwilioContext): Normalized<'message' | 'suppression'> {
  const { requestPath } = context;
  const status = payload.MessageStatus ?? payload.SmsStatus;
  if (!status) return { ignored: 'no MessageStatus or SmsStatus: not a messaging webhook' };
  const inbound = status === 'received' || status === 'receiving';
  const ours = inbound ? payload.To : payload.From;
  const theirs = inbound ? payload.From : payload.To;
  const errorCode = payload.ErrorCode && payload.ErrorCode !== '0' ? payload.ErrorCode : undefined;
  const metadata = callbackMetadata(requestPath);
  const consent = inbound ? consentChange(payload, context) : undefined;
  return {
    events: [
      {
        type: inbound ? 'message.received' : 'message.status_changed',
        occurredAt: null,
        ...(metadata ? { data: { metadata } } : {}),
        ...(consent ? { also: [consent] } : {}),
        record: {
          kind: 'message',
          provider: 'twilio',
          externalId: payload.MessageSid,
          accountId: payload.AccountSid,
          conversationId: ours && theirs ? `${ours}:${theirs}` : undefined,
          direction: inbound ? 'inbound' : 'outbound',
          fromAddress: payload.From,
          toAddress: payload.To,
          // A status callback carries no Body; only an inbound webhook sets it, exactly as sent.
          body: inbound ? (payload.Body ?? '') : undefined,
          media: inbound ? (media(payload) ?? []) : undefined,
          numSegments: segments(payload.NumSegments),
          status,
          statusRank: twilioStatusRank(status),
          errorCode: errorCode ?? null,
          errorMessage: errorCode ? (payload.ErrorMessage ?? twilioErrorMessage(errorCode)) : null,
          metadata,
        },
      },
    ],
  };
}

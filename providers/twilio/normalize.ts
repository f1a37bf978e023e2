import type { Normalized } from '../../src/provider';
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

/** Inbound SMS/MMS → a new inbound message; a status callback → the message's status (created if unseen). */
export function normalizeTwilio(payload: TwilioMessage): Normalized<'message'> {
  const status = payload.MessageStatus ?? payload.SmsStatus;
  if (!status) return { ignored: 'no MessageStatus or SmsStatus: not a messaging webhook' };
  const inbound = status === 'received' || status === 'receiving';
  const ours = inbound ? payload.To : payload.From;
  const theirs = inbound ? payload.From : payload.To;
  const errorCode = payload.ErrorCode && payload.ErrorCode !== '0' ? payload.ErrorCode : undefined;
  return {
    events: [
      {
        type: inbound ? 'message.received' : 'message.status_changed',
        occurredAt: null,
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
        },
      },
    ],
  };
}

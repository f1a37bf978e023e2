import { resendProvider } from '../../providers/resend';
import { normalizeResend } from '../../providers/resend/normalize';
import { twilioProvider } from '../../providers/twilio';
import { normalizeTwilio } from '../../providers/twilio/normalize';
import { PayloadError, type CanonicalEvent, type Normalized } from '../../src/provider';
import type { EmailChange, MessageChange } from '../../src/records/changes';
import { readFixture, readFormFixture, readJsonFixture } from '../helpers/fixtures';

/** The single event a payload normalizes to. */
function onlyEvent(normalized: Normalized): CanonicalEvent {
  if (!('events' in normalized)) throw new Error(`expected events, got ignored: ${normalized.ignored}`);
  expect(normalized.events).toHaveLength(1);
  return normalized.events[0]!;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function twilioRecord(fixture: string): MessageChange {
  const payload = twilioProvider.parse(Buffer.from(readFixture('twilio', `${fixture}.form`)), FORM);
  return onlyEvent(normalizeTwilio(payload)).record as MessageChange;
}

function resendNormalized(body: string): Normalized {
  return normalizeResend(resendProvider.parse(Buffer.from(body), {}));
}

const emailRecord = (fixture: string) => onlyEvent(resendNormalized(readFixture('resend', `${fixture}.json`))).record as EmailChange;

describe('twilio normalize', () => {
  it('turns an inbound MMS into an inbound message with its media list', () => {
    const fields = readFormFixture('inbound-mms');
    const record = twilioRecord('inbound-mms');
    expect(record).toMatchObject({
      kind: 'message',
      provider: 'twilio',
      externalId: fields.MessageSid,
      accountId: fields.AccountSid,
      direction: 'inbound',
      fromAddress: '+14155550100',
      toAddress: '+14155550199',
      conversationId: '+14155550199:+14155550100',
      body: 'Photos of the leak',
      status: 'received',
      errorCode: null,
    });
    expect(record.media).toEqual([
      { url: fields.MediaUrl0, contentType: 'image/jpeg' },
      { url: fields.MediaUrl1, contentType: 'image/png' },
    ]);
  });

  it('reads at most 10 media and drops a segment count beyond a Postgres integer (a signed NumMedia of 10^10 must not spin the worker)', () => {
    const fields = { ...readFormFixture('inbound-mms'), NumMedia: '10000000000', NumSegments: '99999999999' };
    const started = Date.now();
    const record = onlyEvent(normalizeTwilio(twilioProvider.parse(Buffer.from(new URLSearchParams(fields).toString()), FORM))).record as MessageChange;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(record.media).toHaveLength(2);
    expect(record.numSegments).toBeUndefined();
  });

  it('keeps an inbound body exactly as sent, with its spaces and emoji', () => {
    const record = twilioRecord('inbound-sms');
    expect(record.body).toBe('  Running 10 min late 🚗 see you at 5:30  ');
    expect(record.media).toEqual([]);
  });

  it('names an inbound message message.received and a callback message.status_changed', () => {
    const inbound = twilioProvider.parse(Buffer.from(readFixture('twilio', 'inbound-sms.form')), FORM);
    const status = twilioProvider.parse(Buffer.from(readFixture('twilio', 'status-sent.form')), FORM);
    expect(onlyEvent(normalizeTwilio(inbound)).type).toBe('message.received');
    expect(onlyEvent(normalizeTwilio(status)).type).toBe('message.status_changed');
  });

  it('reads the error code of an undelivered callback and describes it', () => {
    const record = twilioRecord('status-undelivered');
    expect(record).toMatchObject({ status: 'undelivered', direction: 'outbound', errorCode: '30003' });
    expect(record.errorMessage).toBe('Unreachable destination handset');
    expect(record.body).toBeUndefined();
  });

  it('leaves the error empty on a delivered callback', () => {
    expect(twilioRecord('status-delivered')).toMatchObject({ status: 'delivered', errorCode: null, errorMessage: null });
  });

  it('ranks statuses sent < delivered < read < failed', () => {
    const [sent, delivered, read, failed] = ['sent', 'delivered', 'read', 'failed'].map((s) => twilioRecord(`status-${s}`).statusRank!);
    expect(sent).toBeLessThan(delivered!);
    expect(delivered).toBeLessThan(read!);
    expect(read).toBeLessThan(failed!);
  });

  it('ignores a payload without MessageStatus or SmsStatus', () => {
    const { SmsStatus: _s, ...fields } = readFormFixture('inbound-sms');
    const payload = twilioProvider.parse(Buffer.from(new URLSearchParams(fields).toString()), FORM);
    expect(normalizeTwilio(payload)).toEqual({ ignored: expect.stringMatching(/MessageStatus/) });
  });

  it('refuses a MessageSid that is not SM/MM + 32 hex with a PayloadError', () => {
    const body = new URLSearchParams({ ...readFormFixture('status-sent'), MessageSid: 'SM123' }).toString();
    expect(() => twilioProvider.parse(Buffer.from(body), FORM)).toThrow(PayloadError);
  });
});

describe('resend normalize: email events', () => {
  const EMAIL_TYPES = [
    'sent', 'scheduled', 'delivered', 'delivery_delayed', 'complained', 'bounced',
    'opened', 'clicked', 'received', 'failed', 'suppressed',
  ];

  it.each(EMAIL_TYPES)('email.%s → one event with a ranked email record', (status) => {
    const fixture = readJsonFixture(`email.${status}`);
    const event = onlyEvent(resendNormalized(JSON.stringify(fixture)));
    expect(event.type).toBe(`email.${status}`);
    expect(event.occurredAt).toEqual(new Date(fixture.created_at));
    expect(event.record).toMatchObject({
      kind: 'email',
      provider: 'resend',
      externalId: fixture.data.email_id,
      status,
      statusAt: new Date(fixture.created_at),
      direction: status === 'received' ? 'inbound' : 'outbound',
      sentAt: new Date(fixture.data.created_at as string),
      toAddresses: fixture.data.to,
      subject: fixture.data.subject,
    });
    expect((event.record as EmailChange).statusRank).toBeGreaterThan(0);
  });

  it('turns tags given as an object into that object', () => {
    expect(emailRecord('email.sent').tags).toEqual({ category: 'quote', job: '123' });
  });

  it('turns tags given as an array of {name, value} into the same object', () => {
    expect(readJsonFixture('email.clicked').data.tags).toBeInstanceOf(Array);
    expect(emailRecord('email.clicked').tags).toEqual({ category: 'quote', job: '123' });
  });

  it('keeps the bounce details', () => {
    expect(emailRecord('email.bounced').bounce).toEqual(readJsonFixture('email.bounced').data.bounce);
  });

  it("takes a click's link and its own timestamp", () => {
    const { click } = readJsonFixture<{ data: { click: { link: string; timestamp: string } } }>('email.clicked').data;
    expect(emailRecord('email.clicked').clicked).toEqual({ at: new Date(click.timestamp), link: click.link });
  });

  it('counts an open at the event time', () => {
    expect(emailRecord('email.opened').opened).toEqual({ at: new Date(readJsonFixture('email.opened').created_at) });
  });

  it('records a complaint time', () => {
    expect(emailRecord('email.complained').complainedAt).toEqual(new Date(readJsonFixture('email.complained').created_at));
  });

  it('keeps the failure reason', () => {
    expect(emailRecord('email.failed').failureReason).toBe('reached_daily_quota');
  });

  it('keeps the suppression details', () => {
    expect(emailRecord('email.suppressed').suppression).toEqual(readJsonFixture('email.suppressed').data.suppressed);
  });

  it('accepts a single "to" address as well as a list', () => {
    const fixture = readJsonFixture('email.sent');
    const single = { ...fixture, data: { ...fixture.data, to: 'solo@example.com' } };
    expect((onlyEvent(resendNormalized(JSON.stringify(single))).record as EmailChange).toAddresses).toEqual(['solo@example.com']);
  });

  it('ranks sent < delivered < opened < clicked < bounced', () => {
    const ranks = ['sent', 'delivered', 'opened', 'clicked', 'bounced'].map((s) => emailRecord(`email.${s}`).statusRank!);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('throws a PayloadError naming data.email_id when an email event has none', () => {
    const fixture = readJsonFixture('email.delivered');
    const { email_id: _id, ...data } = fixture.data;
    const run = () => resendNormalized(JSON.stringify({ ...fixture, data }));
    expect(run).toThrow(PayloadError);
    expect(run).toThrow(/data\.email_id/);
  });
});

describe('resend normalize: other events', () => {
  it.each(['contact.created', 'domain.updated', 'suppression.added'])('%s → an event without a record', (type) => {
    const fixture = readJsonFixture(type);
    expect(resendNormalized(readFixture('resend', `${type}.json`))).toEqual({
      events: [{ type: `resend.${type}`, occurredAt: new Date(fixture.created_at) }],
    });
  });

  it.each(['webhook.test', 'email.unknown_future_event'])('ignores the unknown type %s', (type) => {
    const body = JSON.stringify({ type, created_at: '2026-05-01T12:00:00.000Z', data: { email_id: 'x' } });
    expect(resendNormalized(body)).toEqual({ ignored: expect.stringContaining(type) });
  });

  it('refuses an envelope without created_at with a PayloadError', () => {
    expect(() => resendProvider.parse(Buffer.from('{"type":"email.sent","data":{}}'), {})).toThrow(PayloadError);
  });
});

import { twilioProvider } from './';
import { callbackMetadata, normalizeTwilio } from './normalize';
import { PayloadError } from '../../src/errors/hookport-error';
import type { MessageChange } from '../../src/contract/record-changes';
import { readFixture, readFormFixture } from '../../test/helpers/fixtures';
import { onlyEvent } from '../../test/helpers/normalized';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** The inbound event being normalized: its id, when it came, and a URL without a query. */
const CONTEXT = {
  id: '00000000-0000-4000-8000-000000000001',
  receivedAt: new Date('2026-05-01T12:00:00Z'),
  requestPath: null,
};

function twilioRecord(fixture: string): MessageChange {
  const payload = twilioProvider.parse(Buffer.from(readFixture('twilio', `${fixture}.form`)), FORM);
  return onlyEvent(normalizeTwilio(payload, CONTEXT)).record as MessageChange;
}

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
    const record = onlyEvent(
      normalizeTwilio(twilioProvider.parse(Buffer.from(new URLSearchParams(fields).toString()), FORM), CONTEXT),
    ).record as MessageChange;
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
    expect(onlyEvent(normalizeTwilio(inbound, CONTEXT)).type).toBe('message.received');
    expect(onlyEvent(normalizeTwilio(status, CONTEXT)).type).toBe('message.status_changed');
  });

  it('reads the error code of an undelivered callback and describes it', () => {
    const record = twilioRecord('status-undelivered');
    expect(record).toMatchObject({ status: 'undelivered', direction: 'outbound', errorCode: '30003' });
    expect(record.errorMessage).toBe('Unreachable destination handset');
    expect(record.body).toBeUndefined();
  });

  it('leaves the error empty on a delivered callback', () => {
    expect(twilioRecord('status-delivered')).toMatchObject({
      status: 'delivered',
      errorCode: null,
      errorMessage: null,
    });
  });

  it('ranks statuses sent < delivered < read < failed', () => {
    const [sent, delivered, read, failed] = ['sent', 'delivered', 'read', 'failed'].map(
      (s) => twilioRecord(`status-${s}`).statusRank!,
    );
    expect(sent).toBeLessThan(delivered!);
    expect(delivered).toBeLessThan(read!);
    expect(read).toBeLessThan(failed!);
  });

  it('ignores a payload without MessageStatus or SmsStatus', () => {
    const { SmsStatus: _s, ...fields } = readFormFixture('inbound-sms');
    const payload = twilioProvider.parse(Buffer.from(new URLSearchParams(fields).toString()), FORM);
    expect(normalizeTwilio(payload, CONTEXT)).toEqual({ ignored: expect.stringMatching(/MessageStatus/) });
  });

  it('refuses a MessageSid that is not SM/MM + 32 hex with a PayloadError', () => {
    const body = new URLSearchParams({ ...readFormFixture('status-sent'), MessageSid: 'SM123' }).toString();
    expect(() => twilioProvider.parse(Buffer.from(body), FORM)).toThrow(PayloadError);
  });
});

describe('callbackMetadata (the query of the URL Twilio called)', () => {
  it('is undefined without a query or with an empty one', () => {
    expect(callbackMetadata(null)).toBeUndefined();
    expect(callbackMetadata('/webhooks/twilio')).toBeUndefined();
    expect(callbackMetadata('/webhooks/twilio?')).toBeUndefined();
  });

  it('decodes values, keeps a "?" inside a value, and every value of a repeated name', () => {
    expect(callbackMetadata('/webhooks/twilio?ref=a?b&tag=x&tag=y&tag=z&note=caf%C3%A9+%26+co')).toEqual({
      ref: 'a?b',
      tag: ['x', 'y', 'z'],
      note: 'café & co',
    });
  });

  it('keeps a name like __proto__ as plain data', () => {
    const metadata = callbackMetadata('/webhooks/twilio?__proto__=x&constructor=y')!;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.entries(metadata)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('keeps at most 50 names and drops names or values over 1,024 characters', () => {
    const many = Array.from({ length: 60 }, (_, i) => `k${i}=${i}`).join('&');
    expect(Object.keys(callbackMetadata(`/webhooks/twilio?${many}`)!)).toHaveLength(50);
    const long = 'v'.repeat(1025);
    expect(callbackMetadata(`/webhooks/twilio?big=${long}&ok=1&${long}=x`)).toEqual({ ok: '1' });
  });
});

import { createHash } from 'node:crypto';
import { twilioProvider } from './';
import type { RawRequest } from '../../src/contract/provider';
import { readFixture, readFormFixture } from '../../test/helpers/fixtures';

const sha256 = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

function twilioRequest(body: string, headers: Record<string, string> = {}, url = '/webhooks/twilio'): RawRequest {
  return { body: Buffer.from(body), url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } };
}

describe('twilio identify', () => {
  const delivered = readFixture('twilio', 'status-delivered.form');
  const sid = readFormFixture('status-delivered').MessageSid;

  it('keys on the signed MessageSid:status', () => {
    expect(twilioProvider.identify(twilioRequest(delivered)).dedupeKey).toBe(`${sid}:delivered`);
  });

  it('ignores the unsigned I-Twilio-Idempotency-Token: a replay with a new token gets the same key', () => {
    const identity = twilioProvider.identify(
      twilioRequest(delivered, { 'i-twilio-idempotency-token': 'a1b2c3-new-token' }),
    );
    expect(identity).toEqual({ eventType: 'message.status.delivered', dedupeKey: `${sid}:delivered` });
  });

  it('gives a retry the same key and another status of the same message a different one', () => {
    const sent = twilioProvider.identify(twilioRequest(readFixture('twilio', 'status-sent.form')));
    expect(twilioProvider.identify(twilioRequest(delivered))).toEqual(
      twilioProvider.identify(twilioRequest(delivered)),
    );
    expect(sent.dedupeKey).toBe(`${sid}:sent`);
  });

  it.each([
    ['inbound-sms', 'message.inbound'],
    ['inbound-mms', 'message.inbound'],
    ['status-sent', 'message.status.sent'],
    ['status-delivered', 'message.status.delivered'],
    ['status-read', 'message.status.read'],
    ['status-undelivered', 'message.status.undelivered'],
    ['status-failed', 'message.status.failed'],
  ])('names %s as %s', (fixture, eventType) => {
    expect(twilioProvider.identify(twilioRequest(readFixture('twilio', `${fixture}.form`))).eventType).toBe(eventType);
  });

  it('reads a JSON body signed through bodySHA256', () => {
    const body = JSON.stringify(readFormFixture('status-undelivered'));
    const identity = twilioProvider.identify(twilioRequest(body, {}, '/webhooks/twilio?bodySHA256=00'));
    expect(identity).toEqual({
      eventType: 'message.status.undelivered',
      dedupeKey: 'SM81d935e1645938735eae2e98c2ecf50a:undelivered',
    });
  });

  it.each([
    ['a JSON content type with a body that is not JSON', '{"MessageSid": ', { 'content-type': 'application/json' }],
    ['a JSON array', '[1,2,3]', { 'content-type': 'application/json' }],
    ['a form without MessageSid', 'Foo=bar&Body=hi', {}],
    ['an empty body', '', {}],
  ])('never throws on %s, and keys it by a sha256 of the body', (_, body, headers) => {
    expect(twilioProvider.identify(twilioRequest(body, headers))).toEqual({
      eventType: 'unknown',
      dedupeKey: sha256(body),
    });
  });
});

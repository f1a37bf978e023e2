import { createHash } from 'node:crypto';
import { resendProvider } from './';
import type { RawRequest } from '../../src/contract/provider';
import { readFixture } from '../../test/helpers/fixtures';

const sha256 = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

function resendRequest(body: string, headers: Record<string, string> = {}): RawRequest {
  return {
    body: Buffer.from(body),
    url: '/webhooks/resend',
    headers: { 'content-type': 'application/json', ...headers },
  };
}

describe('resend identify', () => {
  const bounced = readFixture('resend', 'email.bounced.json');

  it('uses svix-id as the dedupe key and the envelope type as the event type', () => {
    const identity = resendProvider.identify(resendRequest(bounced, { 'svix-id': 'msg_2k9Qf3bXq1' }));
    expect(identity).toEqual({ eventType: 'email.bounced', dedupeKey: 'msg_2k9Qf3bXq1' });
  });

  it('accepts the unbranded webhook-id', () => {
    expect(resendProvider.identify(resendRequest(bounced, { 'webhook-id': 'msg_7' })).dedupeKey).toBe('msg_7');
  });

  it.each(['contact.created', 'domain.updated', 'suppression.added', 'email.received'])(
    'reads the type of %s',
    (name) => {
      expect(
        resendProvider.identify(resendRequest(readFixture('resend', `${name}.json`), { 'svix-id': 'msg_1' })).eventType,
      ).toBe(name);
    },
  );

  it.each([
    ['not JSON', '<html>oops'],
    ['JSON null', 'null'],
    ['a type that is not a string', '{"type": 7}'],
  ])('never throws on %s: event type unknown, still keyed by svix-id', (_, body) => {
    expect(resendProvider.identify(resendRequest(body, { 'svix-id': 'msg_9' }))).toEqual({
      eventType: 'unknown',
      dedupeKey: 'msg_9',
    });
  });

  it('keys a request without an id by a sha256 of the body', () => {
    expect(resendProvider.identify(resendRequest('garbage')).dedupeKey).toBe(sha256('garbage'));
  });
});

import { createHash } from 'node:crypto';
import { identifyThumbtack, LEGACY_EVENT_TYPE } from './identify';
import { thumbtackFixture, thumbtackFixtureText, type ThumbtackFixture } from '../../test/fakes/thumbtack-deliveries';

const identify = (body: string | object) =>
  identifyThumbtack({
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    headers: {},
    url: '/webhooks/thumbtack',
  });
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('Thumbtack identify', () => {
  it.each<[ThumbtackFixture, string, string]>([
    ['negotiation-created', 'NegotiationCreatedV4', 'negotiation:590299344770662410'],
    ['message-from-customer', 'MessageCreatedV4', 'message:590299512886423561'],
    ['message-from-business', 'MessageCreatedV4', 'message:590299601734156298'],
    ['review-created', 'ReviewCreatedV4', 'review:590412765330918411'],
  ])('%s → %s keyed on %s', (fixture, eventType, dedupeKey) => {
    expect(identify(thumbtackFixtureText(fixture))).toEqual({ eventType, dedupeKey });
  });

  it('keys two messages of the same lead apart (never on negotiationID)', () => {
    const a = identify(thumbtackFixtureText('message-from-customer')).dedupeKey;
    const b = identify(thumbtackFixtureText('message-from-business')).dedupeKey;
    expect(a).not.toBe(b);
  });

  it('gives a redelivery with a new triggeredAt the same key', () => {
    const again = thumbtackFixture('message-from-customer');
    again.event.triggeredAt = '2026-09-15T05:00:00Z';
    expect(identify(again).dedupeKey).toBe(identify(thumbtackFixtureText('message-from-customer')).dedupeKey);
  });

  it('accepts numeric ids and the reviewId spelling', () => {
    expect(identify({ event: { eventType: 'MessageCreatedV4' }, data: { messageID: 42 } }).dedupeKey).toBe(
      'message:42',
    );
    expect(identify({ event: { eventType: 'ReviewCreatedV4' }, data: { reviewId: 'r1' } }).dedupeKey).toBe('review:r1');
  });

  it('hashes the raw body for event types without an id of their own, or a known type without its id', () => {
    const preset = thumbtackFixtureText('preset-job-status-changed');
    expect(identify(preset)).toEqual({ eventType: 'PresetJobStatusChangedV4', dedupeKey: sha256(preset) });
    const noId = JSON.stringify({ event: { eventType: 'MessageCreatedV4' }, data: { text: 'hi' } });
    expect(identify(noId).dedupeKey).toBe(sha256(noId));
  });

  it('marks a body without event.eventType as the legacy v2 shape', () => {
    const v2 = thumbtackFixtureText('legacy-v2-lead');
    expect(identify(v2)).toEqual({ eventType: LEGACY_EVENT_TYPE, dedupeKey: sha256(v2) });
    expect(identify({ event: {}, data: {} }).eventType).toBe(LEGACY_EVENT_TYPE);
  });

  it('never throws on a body that is not JSON or not an object', () => {
    expect(identify('not json')).toEqual({ eventType: 'unknown', dedupeKey: sha256('not json') });
    expect(identify('[1,2]').eventType).toBe('unknown');
    expect(identify('null').eventType).toBe('unknown');
  });
});

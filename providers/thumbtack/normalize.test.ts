import type { CanonicalEvent, Normalized } from '../../src/contract/provider';
import { PayloadError } from '../../src/errors/hookport-error';
import { thumbtackProvider } from './';
import { thumbtackFixture, thumbtackFixtureText, type ThumbtackFixture } from '../../test/fakes/thumbtack-deliveries';

const normalize = (body: string | object): Normalized => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return thumbtackProvider.normalize(thumbtackProvider.parse(Buffer.from(text), {}), undefined as never) as Normalized;
};
const only = (fixture: ThumbtackFixture | object): CanonicalEvent => {
  const result = normalize(typeof fixture === 'string' ? thumbtackFixtureText(fixture) : fixture);
  if (!('events' in result)) throw new Error(`ignored: ${result.ignored}`);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
};

describe('Thumbtack normalize', () => {
  it('turns NegotiationCreatedV4 into a lead with every documented field', () => {
    const event = only('negotiation-created');
    expect(event.type).toBe('lead.created');
    expect(event.occurredAt).toEqual(new Date('2026-09-15T04:02:24Z'));
    expect(event.record).toEqual({
      kind: 'lead',
      provider: 'thumbtack',
      externalId: '590299344770662410',
      customerId: '590299344770162703',
      customerName: 'Dana Reyes',
      customerPhone: '5615550142',
      businessId: '590297085345701895',
      businessName: 'Griffis Property Group',
      requestId: '590299344772112393',
      category: 'Junk Removal',
      categoryId: '240123621172183344',
      description: 'Need a sectional and two mattresses gone',
      location: { address1: '123 Main St', city: 'Lake Worth', state: 'FL', zipCode: '33460' },
      details: [{ question: 'Frequency of services', answer: 'One time only' }],
      proposedTimes: [{ start: '2026-09-18T14:00:00Z', end: '2026-09-18T16:00:00Z' }],
      estimate: { type: 'Fixed', total: '$150.00', pricePerUnit: '150.00', unitName: 'service', unitQuantity: 1 },
      leadPrice: '$25.00',
      status: 'Open',
      chargeState: 'Created',
      leadCreatedAt: new Date('2026-09-15T04:02:24Z'),
    });
  });

  it('takes the customer name from displayName when there is no first/last name', () => {
    const lead = thumbtackFixture('negotiation-created');
    lead.data.customer = { customerID: '1', displayName: 'Olivia Y.' };
    expect(only(lead).record).toMatchObject({ customerName: 'Olivia Y.', customerPhone: undefined });
  });

  it('turns a customer message into an inbound message with its attachment', () => {
    const event = only('message-from-customer');
    expect(event.type).toBe('message.received');
    expect(event.record).toEqual({
      kind: 'message',
      provider: 'thumbtack',
      externalId: '590299512886423561',
      conversationId: '590299344770662410',
      direction: 'inbound',
      fromAddress: '590299344770162703',
      senderName: 'Dana R.',
      accountId: undefined,
      body: 'Can you come Thursday morning? Photos of the sectional attached.',
      media: [{ url: 'https://www.thumbtack.com/attachment/5f0c1e2d9a/sectional.jpg', contentType: 'image/jpeg' }],
      status: 'received',
      sentAt: new Date('2026-09-15T04:05:10Z'),
    });
  });

  it('turns a business message into an outbound message', () => {
    const event = only('message-from-business');
    expect(event.type).toBe('message.sent');
    expect(event.record).toMatchObject({
      direction: 'outbound',
      senderName: 'Griffis Property Group',
      fromAddress: '590297085345701895',
      accountId: '590297085345701895',
      media: [],
      status: 'sent',
    });
  });

  it('infers the sender from the party block when `from` is missing', () => {
    const message = thumbtackFixture('message-from-business');
    delete message.data.from;
    expect(only(message).record).toMatchObject({ direction: 'outbound' });
  });

  it('turns ReviewCreatedV4 into a review', () => {
    const event = only('review-created');
    expect(event.type).toBe('review.created');
    expect(event.record).toEqual({
      kind: 'review',
      provider: 'thumbtack',
      externalId: '590412765330918411',
      businessId: '590297085345701895',
      negotiationId: '590299344770662410',
      rating: 5,
      reviewerName: 'Dana R.',
      text: 'On time, careful with the stairs, and left the room spotless.',
      reviewedAt: new Date('2026-09-20T18:30:57Z'),
    });
  });

  it('reads other review spellings tolerantly', () => {
    const event = only({
      event: { eventType: 'ReviewCreatedV4', triggeredAt: '2026-09-20T18:31:02Z' },
      data: {
        reviewId: 99,
        rating: '4.5',
        text: 'Good',
        reviewer: { displayName: 'Sam K.' },
        business: { businessID: 'b1' },
      },
    });
    expect(event.record).toMatchObject({
      externalId: '99',
      rating: 4.5,
      text: 'Good',
      reviewerName: 'Sam K.',
      businessId: 'b1',
    });
    expect(event.occurredAt).toEqual(new Date('2026-09-20T18:31:02Z'));
  });

  it('ignores a review without an id rather than failing it', () => {
    expect(normalize({ event: { eventType: 'ReviewCreatedV4' }, data: { rating: 5 } })).toEqual({
      ignored: expect.stringMatching(/without a reviewID/),
    });
  });

  it("passes preset-job and incentive events on with Thumbtack's ids and status as their object", () => {
    const event = only('preset-job-status-changed');
    expect(event).toEqual({
      type: 'thumbtack.preset_job.status_changed',
      occurredAt: new Date('2026-09-21T09:12:40Z'),
      object: {
        presetJobID: '590450117632802819',
        jobID: null,
        negotiationID: null,
        businessID: '590297085345701895',
        status: 'won',
        deepLink: 'https://www.thumbtack.com/pro-leads/590450117632802819',
      },
    });
    expect(
      only({ event: { eventType: 'IncentiveUsedV4' }, data: { incentiveID: 42, discount: { name: 'x' } } }),
    ).toEqual({
      type: 'thumbtack.incentive.used',
      occurredAt: null,
      object: { incentiveID: '42', businessID: null, negotiationID: null, status: null },
    });
  });

  it('ignores the deprecated v2 shape and unknown v4 event types', () => {
    expect(normalize(thumbtackFixtureText('legacy-v2-lead'))).toEqual({ ignored: expect.stringMatching(/v2/) });
    expect(normalize({ event: { eventType: 'NegotiationUpdatedV4' }, data: {} })).toEqual({
      ignored: 'unhandled Thumbtack event type NegotiationUpdatedV4',
    });
  });

  it('fails a known event that lacks the id its row is keyed on, naming the field', () => {
    const lead = thumbtackFixture('negotiation-created');
    delete lead.data.negotiationID;
    expect(() => normalize(lead)).toThrow(PayloadError);
    expect(() => normalize(lead)).toThrow(/data\.negotiationID/);
  });

  it('fails a body that is not a JSON object', () => {
    expect(() => thumbtackProvider.parse(Buffer.from('not json'), {})).toThrow(PayloadError);
    expect(() => thumbtackProvider.parse(Buffer.from('[]'), {})).toThrow(PayloadError);
  });
});

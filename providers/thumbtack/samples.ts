import { randomInt } from 'node:crypto';
import type { SampleBuilder } from '../../src/provider';
import { thumbtackSettings } from './settings';
import { basicAuthorization } from './sign';
import { AUTHORIZATION_HEADER } from './verify';

type Data = Record<string, unknown>;

/** Thumbtack's ids are 18-digit numbers sent as strings. */
const id = () => String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000_000, 999_999_999));

const WEBHOOK_ID = '590298304139583503';
const BUSINESS = { businessID: '590297085345701895', name: 'Griffis Property Group' };
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  NegotiationCreatedV4: '',
  MessageCreatedV4: 'New Message sent on a Negotiation thread',
  ReviewCreatedV4: 'New Review created',
};

const negotiation = (now: string): Data => ({
  negotiationID: id(),
  createdAt: now,
  status: 'Open',
  chargeState: 'Created',
  leadPrice: '$25.00',
  leadPriceBreakdown: { subtotal: '$23.15', salesTax: '$1.85' },
  customer: { customerID: id(), firstName: 'Dana', lastName: 'Reyes', phone: '5615550142' },
  business: BUSINESS,
  estimate: { type: 'Fixed', total: '$150.00', pricePerUnit: '150.00', unitName: 'service', unitQuantity: 1 },
  request: {
    requestID: id(),
    category: { categoryID: '240123621172183344', name: 'Junk Removal' },
    description: 'Need a sectional and two mattresses gone',
    location: { address1: '123 Main St', city: 'Lake Worth', state: 'FL', zipCode: '33460' },
    details: [{ question: 'Frequency of services', answer: 'One time only' }],
    proposedTimes: [{ start: now, end: new Date(Date.parse(now) + 7_200_000).toISOString() }],
    attachments: [],
    travelPreferences: ['ProviderTravelToCustomer'],
  },
});

const message = (now: string): Data => ({
  messageID: id(),
  negotiationID: id(),
  from: 'Customer',
  customer: { customerID: id(), displayName: 'Dana R.' },
  text: 'Can you come Thursday morning? Photos of the sectional attached.',
  attachments: [
    {
      fileName: 'sectional.jpg',
      fileSize: 48213,
      mimeType: 'image/jpeg',
      url: 'https://www.thumbtack.com/attachment/5f0c1e2d9a/sectional.jpg',
    },
  ],
  sentAt: now,
});

const review = (now: string): Data => ({
  reviewID: id(),
  businessID: BUSINESS.businessID,
  negotiationID: id(),
  rating: 5,
  reviewText: 'On time, careful with the stairs, and left the room spotless.',
  reviewerName: 'Dana R.',
  createTime: now,
});

const presetJob = (status: string) => (): Data => {
  const presetJobID = id();
  return {
    presetJobID,
    businessID: BUSINESS.businessID,
    status,
    deepLink: `https://www.thumbtack.com/pro-leads/${presetJobID}`,
  };
};

const incentive = (): Data => ({
  incentiveID: id(),
  businessID: BUSINESS.businessID,
  negotiationID: id(),
  status: 'used',
});

/** A v4 envelope with the Basic credentials Thumbtack was given when the webhook was created. */
function sample(eventType: string, data: (now: string) => Data): SampleBuilder {
  return ({ config }) => {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const event = { eventType, description: DESCRIPTIONS[eventType] ?? '', webhookID: WEBHOOK_ID, triggeredAt: now };
    const body = JSON.stringify({ event, data: data(now) });
    const { username, password } = thumbtackSettings.of(config);
    return {
      path: '/webhooks/thumbtack',
      headers: { 'content-type': 'application/json', [AUTHORIZATION_HEADER]: basicAuthorization(username!, password!) },
      body,
    };
  };
}

/** Every v4 event type Thumbtack sends (BusinessWebhookEventTypeV4, and IncentiveUsedV4). */
export const thumbtackSamples: Readonly<Record<string, SampleBuilder>> = {
  NegotiationCreatedV4: sample('NegotiationCreatedV4', negotiation),
  MessageCreatedV4: sample('MessageCreatedV4', message),
  ReviewCreatedV4: sample('ReviewCreatedV4', review),
  PresetJobMatchedV4: sample('PresetJobMatchedV4', presetJob('matched')),
  PresetJobStatusChangedV4: sample('PresetJobStatusChangedV4', presetJob('won')),
  PresetJobUpdatedV4: sample('PresetJobUpdatedV4', presetJob('won')),
  PresetJobCancelledV4: sample('PresetJobCancelledV4', presetJob('cancelled')),
  PresetJobCompletedV4: sample('PresetJobCompletedV4', presetJob('completed')),
  IncentiveUsedV4: sample('IncentiveUsedV4', incentive),
};

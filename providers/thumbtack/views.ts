import { z } from 'zod';
import { recordView, type RecordView } from '../../src/provider';
import type { ThumbtackChange } from './changes';
import { leads, reviews } from './tables';

/** How Thumbtack's rows appear in events (`data.object`). */

/** Thumbtack's own objects, kept as it sent them. */
const jsonObject = z.record(z.string(), z.json());

export const leadView = recordView('lead', leads, {
  description: 'A Thumbtack lead (negotiation) as Hookport keeps it: a row of `leads`, keyed by the negotiationID.',
  json: {
    location: jsonObject,
    details: z.array(jsonObject),
    proposedTimes: z.array(jsonObject),
    estimate: jsonObject,
  },
  example: {
    id: 58,
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
    createdAt: new Date('2026-09-15T04:02:30Z'),
    updatedAt: new Date('2026-09-15T04:02:30Z'),
  },
});

export const reviewView = recordView('review', reviews, {
  description: 'A review left for a Thumbtack business: a row of `reviews`, keyed by the review id.',
  example: {
    id: 12,
    provider: 'thumbtack',
    externalId: '590412765330918411',
    businessId: '590297085345701895',
    negotiationId: '590299344770662410',
    rating: 5,
    reviewerName: 'Dana R.',
    text: 'On time, careful with the stairs, and left the room spotless.',
    reviewedAt: new Date('2026-09-20T18:30:57Z'),
    createdAt: new Date('2026-09-20T18:31:03Z'),
    updatedAt: new Date('2026-09-20T18:31:03Z'),
  },
});

export const thumbtackRecordViews = { lead: leadView, review: reviewView } satisfies {
  readonly [K in ThumbtackChange['kind']]: RecordView;
};

import { z } from 'zod';
import { emails, messages, suppressions } from '../db/schema';
import { recordView, type RecordView } from './record-view';

/** How the shared tables' rows appear in events (`data.object`). */

/** Examples name no provider: the catalogue writes in the one that emits the type (see catalogue.ts). */
export const EXAMPLE_PROVIDER = 'provider';

export const messageView = recordView('message', messages, {
  description: 'An SMS/MMS, or a message in a marketplace conversation: a row of `messages`.',
  hidden: ['statusRank'],
  json: {
    media: z.array(z.object({ url: z.string(), contentType: z.string().nullable() })),
    metadata: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  },
  example: {
    id: 1042,
    provider: EXAMPLE_PROVIDER,
    externalId: 'SM8a1f2b3c4d5e6f708192a3b4c5d6e7f8',
    conversationId: '+14155550100:+14155550123',
    direction: 'outbound',
    fromAddress: '+14155550100',
    toAddress: '+14155550123',
    body: 'Your technician is on the way and will arrive around 2:30 pm.',
    media: [],
    status: 'delivered',
    numSegments: 1,
    accountId: 'AC0123456789abcdef0123456789abcdef',
    metadata: { ref: 'job-1187' },
    createdAt: new Date('2026-12-06T18:59:40Z'),
    updatedAt: new Date('2026-12-06T19:00:52Z'),
  },
});

export const emailView = recordView('email', emails, {
  description: 'An email sent (or received): a row of `emails`.',
  hidden: ['statusRank'],
  json: {
    toAddresses: z.array(z.string()),
    tags: z.record(z.string(), z.string()),
    bounce: z.record(z.string(), z.json()),
    suppression: z.record(z.string(), z.json()),
  },
  example: {
    id: 311,
    provider: EXAMPLE_PROVIDER,
    externalId: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c',
    direction: 'outbound',
    fromAddress: 'Acme Plumbing <office@acme-plumbing.example>',
    toAddresses: ['jordan.lee@example.com'],
    subject: 'Your invoice #1187',
    tags: { category: 'invoice' },
    status: 'opened',
    statusAt: new Date('2026-12-06T19:12:05Z'),
    sentAt: new Date('2026-12-06T19:00:00Z'),
    openCount: 1,
    clickCount: 0,
    firstOpenedAt: new Date('2026-12-06T19:12:05Z'),
    lastOpenedAt: new Date('2026-12-06T19:12:05Z'),
    createdAt: new Date('2026-12-06T19:00:01Z'),
    updatedAt: new Date('2026-12-06T19:12:06Z'),
  },
});

export const suppressionView = recordView('suppression', suppressions, {
  description: 'Whether an address may be messaged: a row of `suppressions`.',
  hidden: ['announced'],
  example: {
    channel: 'sms',
    address: '+14155550123',
    suppressed: true,
    reason: 'opted_out',
    provider: EXAMPLE_PROVIDER,
    since: new Date('2026-12-06T19:03:11Z'),
    stateAt: new Date('2026-12-06T19:03:11Z'),
    eventId: '0b6f1c7e-3f7d-4a52-9f1e-2a4d6c8e0f13',
    detail: 'STOP',
    createdAt: new Date('2026-12-01T10:00:00Z'),
    updatedAt: new Date('2026-12-06T19:03:11Z'),
  },
});

/** The shared kinds' views, by kind. */
export const sharedRecordViews: Readonly<Record<string, RecordView>> = {
  message: messageView,
  email: emailView,
  suppression: suppressionView,
};

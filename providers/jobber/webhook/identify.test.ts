import { createHash } from 'node:crypto';
import { identifyJobber } from './identify';
import { jobberWebhookSchema } from './schema';
import { parseTopic } from './topics';
import { jobberProvider } from '..';
import { PayloadError } from '../../../src/errors/hookport-error';
import { jobberBody, jobberEvent, readJobberWebhook } from '../../../test/fakes/jobber-fixtures';

const identify = (raw: string) => identifyJobber({ body: Buffer.from(raw), headers: {}, url: '/webhooks/jobber' });
const sha = (raw: string) => `sha256:${createHash('sha256').update(raw).digest('hex')}`;

describe('Jobber identify', () => {
  it('takes the topic as event type and topic + account + item + occurredAt as the dedupe key', () => {
    const e = jobberEvent('CLIENT_CREATE');
    expect(identify(readJobberWebhook('CLIENT_CREATE'))).toEqual({
      eventType: 'CLIENT_CREATE',
      dedupeKey: `CLIENT_CREATE:${e.accountId}:${e.itemId}:2026-05-01T09:00:00-06:00`,
    });
  });

  it('accepts the legacy occuredAt spelling', () => {
    expect(identify(readJobberWebhook('CLIENT_UPDATE.legacy-occuredAt')).dedupeKey).toMatch(
      /^CLIENT_UPDATE:.+:2021-08-12T16:31:36-06:00$/,
    );
  });

  it('gives a different key to the same item at another time, and to another topic at the same time', () => {
    const e = jobberEvent('CLIENT_UPDATE');
    const keys = new Set([
      identify(jobberBody(e)).dedupeKey,
      identify(jobberBody({ ...e, occurredAt: '2026-05-01T09:31:00-06:00' })).dedupeKey,
      identify(jobberBody({ ...e, topic: 'CLIENT_DESTROY' })).dedupeKey,
    ]);
    expect(keys.size).toBe(3);
  });

  it.each([
    ['not JSON', 'data=%7B%7D'],
    ['JSON null', 'null'],
    ['no webHookEvent', '{"data":{}}'],
    ['no itemId', jobberBody({ topic: 'CLIENT_CREATE', accountId: 'MQ==', occurredAt: '2026-05-01T09:00:00Z' })],
  ])('never throws on %s: keys it by its hash', (_case, raw) => {
    const identity = identify(raw);
    expect(identity.dedupeKey).toBe(sha(raw));
  });

  it('keeps the topic of a body that lacks other fields', () => {
    expect(identify(jobberBody({ topic: 'CLIENT_CREATE' })).eventType).toBe('CLIENT_CREATE');
  });
});

describe('Jobber parse', () => {
  it('returns occurredAt whichever spelling arrived', () => {
    const legacy = jobberWebhookSchema.parse(JSON.parse(readJobberWebhook('CLIENT_UPDATE.legacy-occuredAt')));
    expect(legacy.data.webHookEvent.occurredAt).toBe('2021-08-12T16:31:36-06:00');
    expect(legacy.data.webHookEvent).not.toHaveProperty('occuredAt');
  });

  it('refuses an event without any occurred time, naming the field', () => {
    const { occurredAt: _o, ...e } = jobberEvent('CLIENT_CREATE');
    expect(() => jobberProvider.parse(Buffer.from(jobberBody(e)), {})).toThrow(
      new PayloadError('data.webHookEvent.occurredAt: occurredAt (or the legacy occuredAt) is required'),
    );
  });

  it('refuses a body that is not JSON', () => {
    expect(() => jobberProvider.parse(Buffer.from('data=1'), {})).toThrow(PayloadError);
  });
});

describe('Jobber topics', () => {
  it.each([
    ['CLIENT_CREATE', 'client', 'client.created'],
    ['JOB_CLOSED', 'job', 'job.closed'],
    ['INVOICE_DESTROY', 'invoice', 'invoice.deleted'],
    ['QUOTE_APPROVED', undefined, 'jobber.quote.approved'],
    ['VISIT_COMPLETE', undefined, 'jobber.visit.completed'],
    ['PRODUCT_OR_SERVICE_UPDATE', undefined, 'jobber.product_or_service.updated'],
    ['APP_DISCONNECT', undefined, 'jobber.app.disconnected'],
  ])('%s → family %s, canonical %s', (topic, family, canonical) => {
    expect(parseTopic(topic)).toMatchObject({ family, canonicalType: canonical });
  });
});

import { providers } from '../../providers';
import { parseTopic } from '../../providers/jobber/webhook/topics';
import { JOBBER_TOPICS } from '../../providers/jobber/webhook/webhook-topics';
import { PASS_THROUGH as RESEND_PASS_THROUGH } from '../../providers/resend/event-types';
import { PASS_THROUGH as THUMBTACK_PASS_THROUGH } from '../../providers/thumbtack/event-types';
import { eventBody } from '../../src/events/body';
import { catalogueOf } from '../../src/events/catalogue';
import type { AnyProvider, EventContext } from '../../src/contract/provider';
import { BodySchemas } from '../helpers/body-schemas';
import { readJsonFixture } from '../helpers/fixtures';
import { onlyEvent } from '../helpers/normalized';
import { jobberBody, jobberEvent } from '../fakes/jobber-fixtures';
import { thumbtackFixture } from '../fakes/thumbtack-deliveries';

const catalogue = catalogueOf(providers);
const schemas = new BodySchemas(new Map(catalogue.entries.map((e) => [e.type, e.schema])));
const INBOX_ID = '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const RECEIVED = new Date('2026-05-01T12:00:06.000Z');
/** One real body per family of Resend's own types; the other types of a family share its data's shape. */
const RESEND_FIXTURES: Readonly<Record<string, string>> = {
  contact: 'contact.created',
  domain: 'domain.updated',
  suppression: 'suppression.added',
};

/** The body the worker would write for a type with no record: the normalizer's object and fields. */
async function bodyOf(provider: AnyProvider, raw: string) {
  const context = { id: INBOX_ID, receivedAt: RECEIVED, requestPath: null } as unknown as EventContext;
  const event = onlyEvent(await provider.normalize(provider.parse(Buffer.from(raw), {}), context));
  expect(event.record).toBeUndefined();
  return eventBody({
    type: event.type,
    at: event.occurredAt ?? RECEIVED,
    object: event.object ?? {},
    source: { provider: provider.name, inboundEventId: INBOX_ID, receivedAt: RECEIVED.toISOString() },
    fields: event.data,
  });
}

describe('what the normalizers write for types with no table validates against the catalogue', () => {
  const eventOnly = JOBBER_TOPICS.filter((t) => !parseTopic(t).family && parseTopic(t).subject !== 'APP');

  it.each(eventOnly)('Jobber %s', async (topic) => {
    const body = await bodyOf(providers.jobber, jobberBody({ ...jobberEvent('QUOTE_CREATE'), topic }));
    expect(schemas.problems(body.type, body)).toEqual([]);
    expect(body.data.object).toEqual({ ...jobberEvent('QUOTE_CREATE'), topic, occurredAt: '2026-04-28T21:00:00.000Z' });
  });

  it.each(Object.keys(THUMBTACK_PASS_THROUGH))('Thumbtack %s', async (eventType) => {
    const fixture = thumbtackFixture('preset-job-status-changed');
    const body = await bodyOf(
      providers.thumbtack,
      JSON.stringify({ ...fixture, event: { ...fixture.event, eventType } }),
    );
    expect(schemas.problems(body.type, body)).toEqual([]);
    expect(Object.keys(body.data.object).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(RESEND_PASS_THROUGH))('Resend %s', async (type) => {
    const fixture = readJsonFixture(RESEND_FIXTURES[type.split('.')[0]!]!);
    const body = await bodyOf(providers.resend, JSON.stringify({ ...fixture, type }));
    expect(schemas.problems(body.type, body)).toEqual([]);
    expect(body.data.object).toMatchObject({ id: fixture.data.id });
  });

  it('a payload missing every declared field still validates (nulls, never an empty object)', async () => {
    const body = await bodyOf(
      providers.resend,
      JSON.stringify({ type: 'domain.deleted', created_at: '2026-05-01T12:00:00.000Z', data: {} }),
    );
    expect(schemas.problems(body.type, body)).toEqual([]);
    expect(Object.values(body.data.object).every((v) => v === null)).toBe(true);
  });
});

import { resendProvider } from './';
import { normalizeResend } from './normalize';
import type { Normalized } from '../../src/contract/provider';
import { PayloadError } from '../../src/errors/hookport-error';
import type { EmailChange } from '../../src/contract/record-changes';
import { readFixture, readJsonFixture } from '../../test/helpers/fixtures';
import { onlyEvent } from '../../test/helpers/normalized';

/** The inbound event being normalized. */
const CONTEXT = { id: '00000000-0000-4000-8000-000000000002' };

function resendNormalized(body: string): Normalized {
  return normalizeResend(resendProvider.parse(Buffer.from(body), {}), CONTEXT);
}

const emailRecord = (fixture: string) =>
  onlyEvent(resendNormalized(readFixture('resend', `${fixture}.json`))).record as EmailChange;

describe('resend normalize: email events', () => {
  const EMAIL_TYPES = [
    'sent',
    'scheduled',
    'delivered',
    'delivery_delayed',
    'complained',
    'bounced',
    'opened',
    'clicked',
    'received',
    'failed',
    'suppressed',
  ];

  it.each(EMAIL_TYPES)('email.%s → one event with a ranked email record', (status) => {
    const fixture = readJsonFixture(`email.${status}`);
    const event = onlyEvent(resendNormalized(JSON.stringify(fixture)));
    expect(event.type).toBe(`email.${status}`);
    expect(event.occurredAt).toEqual(new Date(fixture.created_at));
    expect(event.record).toMatchObject({
      kind: 'email',
      provider: 'resend',
      externalId: fixture.data.email_id,
      status,
      statusAt: new Date(fixture.created_at),
      direction: status === 'received' ? 'inbound' : 'outbound',
      sentAt: new Date(fixture.data.created_at as string),
      toAddresses: fixture.data.to,
      subject: fixture.data.subject,
    });
    expect((event.record as EmailChange).statusRank).toBeGreaterThan(0);
  });

  it('turns tags given as an object into that object', () => {
    expect(emailRecord('email.sent').tags).toEqual({ category: 'quote', job: '123' });
  });

  it('turns tags given as an array of {name, value} into the same object', () => {
    expect(readJsonFixture('email.clicked').data.tags).toBeInstanceOf(Array);
    expect(emailRecord('email.clicked').tags).toEqual({ category: 'quote', job: '123' });
  });

  it('keeps the bounce details', () => {
    expect(emailRecord('email.bounced').bounce).toEqual(readJsonFixture('email.bounced').data.bounce);
  });

  it("takes a click's link and its own timestamp", () => {
    const { click } = readJsonFixture<{ data: { click: { link: string; timestamp: string } } }>('email.clicked').data;
    expect(emailRecord('email.clicked').clicked).toEqual({ at: new Date(click.timestamp), link: click.link });
  });

  it('counts an open at the event time', () => {
    expect(emailRecord('email.opened').opened).toEqual({ at: new Date(readJsonFixture('email.opened').created_at) });
  });

  it('records a complaint time', () => {
    expect(emailRecord('email.complained').complainedAt).toEqual(
      new Date(readJsonFixture('email.complained').created_at),
    );
  });

  it('keeps the failure reason', () => {
    expect(emailRecord('email.failed').failureReason).toBe('reached_daily_quota');
  });

  it('keeps the suppression details', () => {
    expect(emailRecord('email.suppressed').suppression).toEqual(readJsonFixture('email.suppressed').data.suppressed);
  });

  it('accepts a single "to" address as well as a list', () => {
    const fixture = readJsonFixture('email.sent');
    const single = { ...fixture, data: { ...fixture.data, to: 'solo@example.com' } };
    expect((onlyEvent(resendNormalized(JSON.stringify(single))).record as EmailChange).toAddresses).toEqual([
      'solo@example.com',
    ]);
  });

  it('ranks sent < delivered < opened < clicked < bounced', () => {
    const ranks = ['sent', 'delivered', 'opened', 'clicked', 'bounced'].map(
      (s) => emailRecord(`email.${s}`).statusRank!,
    );
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('throws a PayloadError naming data.email_id when an email event has none', () => {
    const fixture = readJsonFixture('email.delivered');
    const { email_id: _id, ...data } = fixture.data;
    const run = () => resendNormalized(JSON.stringify({ ...fixture, data }));
    expect(run).toThrow(PayloadError);
    expect(run).toThrow(/data\.email_id/);
  });
});

describe('resend normalize: other events', () => {
  it.each(['contact.created', 'domain.updated'])(
    "%s → an event without a record, Resend's data as its object",
    (type) => {
      const fixture = readJsonFixture(type);
      expect(resendNormalized(readFixture('resend', `${type}.json`))).toEqual({
        events: [
          {
            type: `resend.${type}`,
            occurredAt: new Date(fixture.created_at),
            object: expect.objectContaining({ id: fixture.data.id }),
          },
        ],
      });
    },
  );

  it('normalizes the object: every declared field, times in UTC, nothing undeclared', () => {
    const fixture = readJsonFixture('domain.updated');
    const event = onlyEvent(
      resendNormalized(JSON.stringify({ ...fixture, data: { ...fixture.data, region: ['us-east-1'], extra: 'x' } })),
    );
    expect(event.object).toEqual({
      id: 'cc2fb3c7-ccee-4731-9d2b-4b6691e0464a',
      name: 'acme.com',
      status: 'verified',
      region: null,
      created_at: '2026-04-30T20:21:26.347Z',
      records: fixture.data.records,
    });
  });

  it.each(['contact.unsubscribed', 'domain.verified'])('ignores %s, which Resend does not send', (type) => {
    expect(
      resendNormalized(JSON.stringify({ type, created_at: '2026-05-01T12:00:00.000Z', data: { id: 'x' } })),
    ).toEqual({
      ignored: `unknown Resend event type ${type}`,
    });
  });

  it('suppression.added → its own event, and the address suppressed (reason from its origin)', () => {
    const fixture = readJsonFixture('suppression.added');
    const at = new Date(fixture.created_at);
    expect(resendNormalized(readFixture('resend', 'suppression.added.json'))).toEqual({
      events: [
        {
          type: 'resend.suppression.added',
          occurredAt: at,
          object: { ...fixture.data, created_at: '2026-05-01T12:00:05.402Z' },
          also: [
            expect.objectContaining({
              kind: 'suppression',
              channel: 'email',
              address: 'dana.reyes@example.com',
              suppressed: true,
              reason: 'bounced',
              at,
            }),
          ],
        },
      ],
    });
  });

  it.each(['webhook.test', 'email.unknown_future_event'])('ignores the unknown type %s', (type) => {
    const body = JSON.stringify({ type, created_at: '2026-05-01T12:00:00.000Z', data: { email_id: 'x' } });
    expect(resendNormalized(body)).toEqual({ ignored: expect.stringContaining(type) });
  });

  it('refuses an envelope without created_at with a PayloadError', () => {
    expect(() => resendProvider.parse(Buffer.from('{"type":"email.sent","data":{}}'), {})).toThrow(PayloadError);
  });
});

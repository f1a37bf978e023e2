import { twilioProvider } from '../../providers/twilio';
import { normalizeTwilio } from '../../providers/twilio/normalize';
import { keywordOf, optOutIntent } from '../../providers/twilio/opt-out';
import { mentions, suppressionsOf } from '../../providers/resend/suppression';
import { addressFromQuery, normalizeAddress, normalizeEmail, normalizePhone } from '../../src/records/addresses';
import { readFormFixture } from '../helpers/fixtures';
import { onlyEvent } from '../helpers/normalized';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CONTEXT = {
  id: '00000000-0000-4000-8000-000000000003',
  receivedAt: new Date('2026-05-01T12:00:00Z'),
  requestPath: null,
};

describe('address normalizers', () => {
  it.each([
    ['+1 (415) 555-0100', '+14155550100'],
    ['+1.415.555.0100', '+14155550100'],
    [' 415-555-0100 ', '4155550100'],
    ['+14155550100', '+14155550100'],
    ['12345', '12345'],
  ])('phone %j → %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    'whatsapp:+14155550100',
    'messenger:123456',
    'ACME',
    '+1 415 CALL NOW',
    '',
    '+',
    '++14155550100',
    '1'.repeat(21),
  ])('phone %j is not a number: null', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it.each([
    ['Bob@Example.com', 'bob@example.com'],
    ['  dana@example.com ', 'dana@example.com'],
    ['Dana Reyes <Dana.Reyes@Example.com>', 'dana.reyes@example.com'],
    ['"Reyes, Dana" <dana@example.com>', 'dana@example.com'],
  ])('email %j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    'not an address',
    'a b@example.com',
    '@example.com',
    'dana@',
    'a@b@c',
    `${'a'.repeat(250)}@example.com`,
    `${'é'.repeat(125)}@example.com`,
    'Dana <>',
  ])('email %j is not an address: null', (input) => {
    expect(normalizeEmail(input)).toBeNull();
  });

  it('reads a phone number whose unencoded + a URL query turned into a space', () => {
    const decoded = new URLSearchParams('a=+1 (415) 555-0100&b=+14155550100');
    expect(addressFromQuery('sms', decoded.get('a')!)).toBe('+14155550100');
    expect(addressFromQuery('sms', decoded.get('b')!)).toBe('+14155550100');
    expect(addressFromQuery('sms', '4155550100')).toBe('4155550100');
    expect(addressFromQuery('email', ' Bob@Example.com')).toBe('bob@example.com');
  });

  it('picks the normalizer by channel', () => {
    expect(normalizeAddress('sms', '+1 (415) 555-0100')).toBe('+14155550100');
    expect(normalizeAddress('email', 'Bob@Example.com')).toBe('bob@example.com');
    expect(normalizeAddress('sms', 'Bob@Example.com')).toBeNull();
  });
});

describe('opt-out keywords', () => {
  it.each([
    'STOP',
    'Stop ',
    ' stop.',
    'STOP!!',
    '¡Stop!',
    'stopall',
    'Unsubscribe',
    'cancel',
    'END',
    'quit',
    'OptOut',
    'revoke',
  ])('%j opts out', (body) => {
    expect(optOutIntent(body, undefined)).toEqual({ optOut: true, keyword: keywordOf(body) });
  });

  it.each(['START', 'start', 'Unstop.'])('%j opts in', (body) => {
    expect(optOutIntent(body, undefined)).toEqual({ optOut: false, keyword: keywordOf(body) });
  });

  it.each(['YES', 'yes', 'HELP', 'info', 'Stop by at 5', 'please stop', 'STOP IT', 'S T O P', 'opt out', '', 'STOPP'])(
    '%j changes nothing',
    (body) => {
      expect(optOutIntent(body, undefined)).toBeNull();
    },
  );

  it("follows Twilio's OptOutType when it is there, whatever the body says", () => {
    expect(optOutIntent('arret', 'STOP')).toEqual({ optOut: true, keyword: 'STOP' });
    expect(optOutIntent('go on', 'START')).toEqual({ optOut: false, keyword: 'START' });
    expect(optOutIntent('STOP', 'HELP')).toBeNull();
  });
});

describe('twilio normalize: consent', () => {
  const inbound = (fields: Record<string, string>) =>
    onlyEvent(
      normalizeTwilio(
        twilioProvider.parse(
          Buffer.from(new URLSearchParams({ ...readFormFixture('inbound-sms'), ...fields }).toString()),
          FORM,
        ),
        CONTEXT,
      ),
    );

  it('an inbound STOP stays message.received, with its message, and also suppresses the sender', () => {
    const event = inbound({ Body: 'Stop ' });
    expect(event.type).toBe('message.received');
    expect(event.record).toMatchObject({ kind: 'message', body: 'Stop ' });
    expect(event.also).toEqual([
      {
        kind: 'suppression',
        externalId: 'sms:+14155550100',
        channel: 'sms',
        address: '+14155550100',
        provider: 'twilio',
        eventId: CONTEXT.id,
        at: CONTEXT.receivedAt,
        suppressed: true,
        reason: 'opted_out',
        detail: 'STOP',
      },
    ]);
  });

  it('an inbound START lifts; ordinary text, HELP and a status callback do nothing', () => {
    expect(inbound({ Body: 'start' }).also).toEqual([
      expect.objectContaining({ suppressed: false, address: '+14155550100' }),
    ]);
    expect(inbound({ Body: 'See you at 5' }).also).toBeUndefined();
    expect(inbound({ Body: 'help', OptOutType: 'HELP' }).also).toBeUndefined();
    expect(inbound({ Body: 'STOP', SmsStatus: 'delivered', MessageStatus: 'delivered' }).also).toBeUndefined();
  });

  it('a WhatsApp sender is not an SMS number: no suppression', () => {
    expect(inbound({ Body: 'STOP', From: 'whatsapp:+14155550100' }).also).toBeUndefined();
  });
});

describe('resend: which addresses an email event suppresses', () => {
  const at = new Date('2026-05-01T12:00:05Z');
  const bounce = (type: string, extra: Record<string, unknown> = {}) => ({
    type,
    subType: 'General',
    message: 'Mailbox not found',
    ...extra,
  });
  const addresses = (status: string, data: Record<string, unknown>) =>
    suppressionsOf(status, { email_id: 'e', ...data } as never, at, 'evt').map((c) => c.address);

  it('a permanent bounce suppresses its one recipient, with the bounce message as detail', () => {
    const [change] = suppressionsOf(
      'bounced',
      { email_id: 'e', to: ['Bob <Bob@Example.com>'], bounce: bounce('Permanent') },
      at,
      'evt',
    );
    expect(change).toEqual(
      expect.objectContaining({
        channel: 'email',
        address: 'bob@example.com',
        reason: 'bounced',
        detail: 'Mailbox not found',
        at,
      }),
    );
    expect(addresses('bounced', { to: 'bob@example.com', bounce: bounce('hard') })).toEqual(['bob@example.com']);
  });

  it.each(['Transient', 'Undetermined', 'soft', ''])('a %j bounce suppresses nobody', (type) => {
    expect(addresses('bounced', { to: ['bob@example.com'], bounce: bounce(type) })).toEqual([]);
    expect(addresses('bounced', { to: ['bob@example.com'] })).toEqual([]);
  });

  it('complaints and suppressions suppress their one recipient; other events nobody', () => {
    expect(addresses('complained', { to: ['bob@example.com'] })).toEqual(['bob@example.com']);
    expect(addresses('suppressed', { to: ['bob@example.com'], suppressed: { message: 'on the list' } })).toEqual([
      'bob@example.com',
    ]);
    expect(addresses('delivered', { to: ['bob@example.com'] })).toEqual([]);
    expect(addresses('failed', { to: ['bob@example.com'] })).toEqual([]);
  });

  it('with several recipients, a bounce suppresses only those it names; a complaint or suppression nobody', () => {
    const to = ['a@example.com', 'Bee <b@example.com>', 'aa@example.com'];
    const named = bounce('Permanent', { diagnosticCode: ['smtp; 550 5.1.1 <B@example.com>: user unknown'] });
    expect(addresses('bounced', { to, bounce: named })).toEqual(['b@example.com']);
    expect(
      addresses('bounced', { to, bounce: bounce('Permanent', { message: 'aa@example.com does not exist' }) }),
    ).toEqual(['aa@example.com']);
    expect(addresses('bounced', { to, bounce: bounce('Permanent') })).toEqual([]);
    expect(addresses('complained', { to })).toEqual([]);
    expect(addresses('suppressed', { to })).toEqual([]);
    // The same recipient twice is one recipient.
    expect(addresses('complained', { to: ['bob@example.com', 'BOB@example.com'] })).toEqual(['bob@example.com']);
  });

  it('names an address only as a whole', () => {
    expect(mentions('550 <b@example.com> unknown', 'b@example.com')).toBe(true);
    expect(mentions('user b@example.com.', 'b@example.com')).toBe(true);
    expect(mentions('ab@example.com', 'b@example.com')).toBe(false);
    expect(mentions('b@example.com.au', 'b@example.com')).toBe(false);
  });
});

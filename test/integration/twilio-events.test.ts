import { sql } from 'drizzle-orm';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';
import {
  inboundSms,
  OUR_NUMBER,
  postTwilio,
  statusCallback,
  THEIR_NUMBER,
  TWILIO_ACCOUNT,
  twilioSid,
} from '../helpers/webhooks';

interface MessageRow {
  direction: string;
  from_address: string;
  to_address: string;
  conversation_id: string;
  body: string | null;
  media: { url: string; contentType: string | null }[] | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
  account_id: string;
}

describe.each(databaseKinds())('Twilio events end to end on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(kind);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => h.close());

  const message = async (sid: string) => {
    const rows = await h.rows<MessageRow>(sql`select * from messages where external_id = ${sid}`);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const eventOf = async (sid: string) =>
    h.rows<{ event_type: string; status: string }>(
      sql`select event_type, status from webhook_events where convert_from(body, 'UTF8') like ${'%' + sid + '%'} order by received_at`,
    );

  it('inbound SMS: answers empty TwiML and writes an inbound message', async () => {
    const params = inboundSms({ Body: 'Can you come Tuesday? 10% off + tax' });
    const res = await postTwilio(h, params);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toBe('<Response/>');
    expect(await h.drain()).toEqual(['processed']);

    expect(await message(params.MessageSid)).toMatchObject({
      direction: 'inbound',
      from_address: THEIR_NUMBER,
      to_address: OUR_NUMBER,
      conversation_id: `${OUR_NUMBER}:${THEIR_NUMBER}`,
      body: 'Can you come Tuesday? 10% off + tax',
      media: [],
      status: 'received',
      error_code: null,
      account_id: TWILIO_ACCOUNT,
    });
    expect(await eventOf(params.MessageSid)).toEqual([{ event_type: 'message.inbound', status: 'processed' }]);
  });

  it('inbound MMS: keeps every media URL with its content type', async () => {
    const params = inboundSms({
      MessageSid: twilioSid('MM'),
      Body: '',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
      MediaContentType1: 'application/pdf',
    });
    expect((await postTwilio(h, params)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await message(params.MessageSid)).toMatchObject({
      direction: 'inbound',
      body: '',
      media: [
        { url: params.MediaUrl0, contentType: 'image/jpeg' },
        { url: params.MediaUrl1, contentType: 'application/pdf' },
      ],
    });
  });

  it('status callbacks sent then delivered move an outbound message forward', async () => {
    const sid = twilioSid();
    for (const status of ['sent', 'delivered']) {
      const res = await postTwilio(h, statusCallback(sid, status));
      expect(res.status).toBe(200);
      expect(res.text).toBe('<Response/>');
      expect(await h.drain()).toEqual(['processed']);
      expect((await message(sid)).status).toBe(status);
    }
    expect(await message(sid)).toMatchObject({
      direction: 'outbound',
      from_address: OUR_NUMBER,
      to_address: THEIR_NUMBER,
      conversation_id: `${OUR_NUMBER}:${THEIR_NUMBER}`,
      body: null,
      error_code: null,
    });
    expect(await eventOf(sid)).toEqual([
      { event_type: 'message.status.sent', status: 'processed' },
      { event_type: 'message.status.delivered', status: 'processed' },
    ]);
  });

  it('undelivered with ErrorCode stores the code and its message', async () => {
    const sid = twilioSid();
    await postTwilio(h, statusCallback(sid, 'sent'));
    await h.drain();
    expect((await postTwilio(h, statusCallback(sid, 'undelivered', { ErrorCode: '30003' }))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await message(sid)).toMatchObject({
      status: 'undelivered',
      error_code: '30003',
      error_message: 'Unreachable destination handset',
    });
  });

  it('a message first seen through a status callback is created', async () => {
    const sid = twilioSid();
    expect(await h.rows(sql`select 1 from messages where external_id = ${sid}`)).toEqual([]);
    await postTwilio(h, statusCallback(sid, 'failed', { ErrorCode: '30007', ErrorMessage: 'Carrier filtered it' }));
    expect(await h.drain()).toEqual(['processed']);
    expect(await message(sid)).toMatchObject({
      direction: 'outbound',
      status: 'failed',
      error_code: '30007',
      error_message: 'Carrier filtered it',
      body: null,
    });
  });
});

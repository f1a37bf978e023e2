import { sql } from 'drizzle-orm';
import { readFixture, readFormFixture } from '../helpers/fixtures';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { signTwilioJson } from '../helpers/sign';
import { OUR_NUMBER, postTwilioForm, statusCallback, THEIR_NUMBER, twilioSid } from '../helpers/webhooks';

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
  num_segments: number | null;
}

/** Each fixture is sent byte for byte as Twilio would, signed for the public URL. */
describe.each(databaseKinds())('Twilio events end to end on %s', (kind) => {
  const h = suiteHarness(kind);

  const send = async (fixture: string) => {
    const res = await postTwilioForm(h, readFixture('twilio', `${fixture}.form`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toBe('<Response/>');
    expect(await h.drain()).toEqual(['processed']);
    return readFormFixture(fixture);
  };
  const message = async (sid: string | undefined) => {
    const rows = await h.rows<MessageRow>(sql`select * from messages where external_id = ${sid}`);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const events = (sid: string | undefined) =>
    h.rows<{ event_type: string; status: string }>(
      sql`select event_type, status from webhook_events where convert_from(body, 'UTF8') like ${`%MessageSid=${sid}%`} order by received_at`,
    );

  it('inbound SMS: answers empty TwiML and writes an inbound message, body exactly as sent', async () => {
    const sms = await send('inbound-sms');
    expect(await message(sms.MessageSid)).toMatchObject({
      direction: 'inbound',
      from_address: THEIR_NUMBER,
      to_address: OUR_NUMBER,
      conversation_id: `${OUR_NUMBER}:${THEIR_NUMBER}`,
      body: '  Running 10 min late 🚗 see you at 5:30  ',
      media: [],
      status: 'received',
      error_code: null,
      account_id: sms.AccountSid,
      num_segments: 1,
    });
    expect(await events(sms.MessageSid)).toEqual([{ event_type: 'message.inbound', status: 'processed' }]);
  });

  it('inbound MMS: keeps every media URL with its content type', async () => {
    const mms = await send('inbound-mms');
    expect(await message(mms.MessageSid)).toMatchObject({
      direction: 'inbound',
      body: 'Photos of the leak',
      media: [
        { url: mms.MediaUrl0, contentType: 'image/jpeg' },
        { url: mms.MediaUrl1, contentType: 'image/png' },
      ],
    });
  });

  it('status callbacks sent, delivered, read move an outbound message forward', async () => {
    let sid: string | undefined;
    for (const status of ['sent', 'delivered', 'read']) {
      sid = (await send(`status-${status}`)).MessageSid;
      expect((await message(sid)).status).toBe(status);
    }
    expect(await message(sid)).toMatchObject({
      direction: 'outbound',
      from_address: `whatsapp:${OUR_NUMBER}`,
      to_address: `whatsapp:${THEIR_NUMBER}`,
      body: null,
      error_code: null,
    });
    expect(await events(sid)).toEqual(
      ['sent', 'delivered', 'read'].map((s) => ({ event_type: `message.status.${s}`, status: 'processed' })),
    );
  });

  it('a message first seen through an undelivered callback is created with its ErrorCode and message', async () => {
    const { MessageSid } = readFormFixture('status-undelivered');
    expect(await h.rows(sql`select 1 from messages where external_id = ${MessageSid}`)).toEqual([]);
    await send('status-undelivered');
    expect(await message(MessageSid)).toMatchObject({
      direction: 'outbound',
      from_address: OUR_NUMBER,
      to_address: THEIR_NUMBER,
      status: 'undelivered',
      error_code: '30003',
      error_message: 'Unreachable destination handset',
      body: null,
    });
  });

  it('failed with ErrorCode 30008 stores the code and its description', async () => {
    const failed = await send('status-failed');
    expect(await message(failed.MessageSid)).toMatchObject({
      status: 'failed',
      error_code: '30008',
      error_message: 'Unknown error',
    });
  });

  it('a JSON body signed through bodySHA256 is verified, stored and processed', async () => {
    const sid = twilioSid();
    const body = JSON.stringify(statusCallback(sid, 'delivered'));
    const { url, signature } = signTwilioJson(
      TEST_SECRETS.twilioToken,
      `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`,
      body,
    );
    const path = url.slice(TEST_SECRETS.publicBaseUrl.length);
    const post = (sent: string) =>
      h.http().post(path).set('content-type', 'application/json').set('x-twilio-signature', signature).send(sent);

    expect((await post(body.replace('delivered', 'read'))).status).toBe(401);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('<Response/>');
    expect(await h.drain()).toEqual(['processed']);
    expect(await message(sid)).toMatchObject({ direction: 'outbound', status: 'delivered' });
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { upsertMessages } from '../../src/records/messages';
import type { MessageChange } from '../../src/contract/record-changes';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { signTwilioForm } from '../helpers/sign';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilio, twilioSid } from '../helpers/webhooks';

const TWILIO_URL = `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`;
const signature = (params: Record<string, string>) =>
  signTwilioForm(TEST_SECRETS.twilioToken, TWILIO_URL, params).signature;

/**
 * Twilio's signature has no timestamp and does not cover I-Twilio-Idempotency-Token: a captured request can be
 * replayed.
 */
describe.each(databaseKinds())('Twilio replays on %s', (kind) => {
  const h = suiteHarness(kind);
  const inbox = (sid: string) =>
    h.rows<{ id: string }>(
      sql`select id from webhook_events where convert_from(body, 'UTF8') like ${`%MessageSid=${sid}%`}`,
    );
  const message = async (sid: string) =>
    (
      await h.rows<Record<string, unknown>>(
        sql`select body, from_address, to_address, direction, status from messages where external_id = ${sid}`,
      )
    )[0];

  it('a captured request replayed with a new idempotency token is a duplicate, applied once', async () => {
    const params = inboundSms();
    const first = await postTwilio(h, params, { 'i-twilio-idempotency-token': randomUUID() });
    expect(first.status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);

    const replay = await postTwilio(h, params, { 'i-twilio-idempotency-token': randomUUID() });
    expect(replay.status).toBe(200);
    expect(await inbox(params.MessageSid)).toHaveLength(1);
    expect(await h.drain()).toEqual([]);
    expect(await h.rows(sql`select type from canonical_events where external_id = ${params.MessageSid}`)).toHaveLength(
      1,
    );
  });

  it('a replay that re-splits the signed parameters changes neither the stored body nor the sender', async () => {
    const original = inboundSms({ Body: 'Meet at 5', From: '+15550001111' });
    const { From: _from, ...rest } = original;
    // Twilio signs "BodyMeet at 5From+15550001111FromCity…": the same string with `From` folded into Body.
    const resplit = { ...rest, Body: 'Meet at 5From+15550001111' };
    expect(signature(resplit)).toBe(signature(original));

    expect((await postTwilio(h, original, { 'i-twilio-idempotency-token': randomUUID() })).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    const replay = await postTwilio(h, resplit, { 'i-twilio-idempotency-token': randomUUID() });
    expect(replay.status).toBe(200);
    await h.drain();

    expect(await message(original.MessageSid)).toEqual({
      body: 'Meet at 5',
      from_address: '+15550001111',
      to_address: original.To,
      direction: 'inbound',
      status: 'received',
    });
  });

  describe('a later change to a stored message', () => {
    const db = () => h.runtime.database.db;
    const base = (provider: 'twilio' | 'thumbtack', externalId: string): MessageChange => ({
      kind: 'message',
      provider,
      externalId,
      conversationId: 'ours:theirs',
      direction: 'inbound',
      fromAddress: 'theirs',
      toAddress: 'ours',
      body: 'Meet at 5',
      media: [{ url: 'https://example.com/a.jpg', contentType: 'image/jpeg' }],
      status: 'received',
      statusRank: 50,
    });
    const row = (externalId: string) =>
      h.rows(sql`select conversation_id, direction, from_address, to_address, sender_name, body, media, status
        from messages where external_id = ${externalId}`);

    it.each(['twilio', 'thumbtack'] as const)(
      '%s: never rewrites its content or parties, only fills what is missing',
      async (provider) => {
        const id = provider === 'twilio' ? twilioSid() : randomUUID();
        await upsertMessages(db(), [base(provider, id)]);
        const before = await row(id);
        await upsertMessages(db(), [
          {
            ...base(provider, id),
            conversationId: 'ours:attacker',
            direction: 'outbound',
            fromAddress: 'attacker',
            toAddress: 'elsewhere',
            body: 'Meet at 6',
            media: [],
            senderName: 'Filled later',
            status: 'read',
            statusRank: 70,
          },
        ]);
        expect(await row(id)).toEqual([{ ...before[0], sender_name: 'Filled later', status: 'read' }]);
      },
    );

    it('a status still moves forward only', async () => {
      const id = twilioSid();
      await upsertMessages(db(), [{ ...base('twilio', id), status: 'delivered', statusRank: 60 }]);
      await upsertMessages(db(), [{ ...base('twilio', id), status: 'sent', statusRank: 40 }]);
      expect(await row(id)).toMatchObject([{ status: 'delivered' }]);
    });
  });
});

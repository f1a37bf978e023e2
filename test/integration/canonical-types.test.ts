import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import type { AnyProvider } from '../../src/contract/provider';
import { jobberBody, jobberEvent, postJobber } from '../fakes/jobber-fixtures';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilio } from '../helpers/webhooks';

const HOSTILE_TOPIC = 'CLIENT_CREATE<img src=x>';

/**
 * Canonical types come from the catalogue and are made of a-z, 0-9, `_` and `.`: a signed webhook
 * whose topic is markup becomes no canonical event, and its notes quote none of the markup.
 */
describe.each(databaseKinds())('canonical types on %s', (kind) => {
  describe('a signed Jobber webhook whose topic is markup', () => {
    const h = suiteHarness(kind);

    it('is stored, then ignored like any unknown topic, quoting none of it', async () => {
      const body = jobberBody({ ...jobberEvent('CLIENT_CREATE'), topic: HOSTILE_TOPIC });
      expect((await postJobber(h, body)).status).toBe(200);
      expect(await h.drain()).toEqual(['ignored']);
      const [row] = await h.rows<{ status: string; note: string | null; last_error: string | null }>(
        sql`select status, note, last_error from webhook_events where provider = 'jobber'`,
      );
      expect(row?.status).toBe('ignored');
      expect(row?.note).toBe(
        `Jobber topic of ${HOSTILE_TOPIC.length} characters that is not a Jobber topic name is not one Hookport knows yet (not in its event catalogue)`,
      );
      expect(row?.last_error ?? '').not.toContain('<');
      expect(await h.rows(sql`select id from canonical_events`)).toEqual([]);
    });
  });

  describe.each([
    ['markup in a type', 'client.created<img src=x>', 'a type of 25 characters that is not made of a-z, 0-9'],
    ['a type outside the catalogue', 'client.exploded', '"client.exploded", which is not in the event catalogue'],
  ])('a normalizer that emits %s', (_what, type, reason) => {
    // A provider normalizing as a faulty one would: whatever it emits, the core checks the type.
    const faulty: AnyProvider = {
      ...providers.twilio,
      normalize: () => ({ events: [{ type, occurredAt: null, object: {} }] }),
    };
    const h = suiteHarness(kind, {}, { providers: { ...providers, twilio: faulty } });

    it('dead-letters the event with the reason, writing none of its canonical events, only hookport.event.dead', async () => {
      expect((await postTwilio(h, inboundSms())).status).toBe(200);
      expect(await h.drain()).toEqual(['dead']);
      const [row] = await h.rows<{ status: string; last_error: string }>(
        sql`select status, last_error from webhook_events where provider = 'twilio'`,
      );
      expect(row?.status).toBe('dead');
      expect(row?.last_error).toContain(reason);
      expect(row?.last_error).not.toContain('<');
      // What is said about it is Hookport's own event, with the same escaped reason.
      const emitted = await h.rows<{ type: string; reason: string }>(
        sql`select type, data->>'reason' as reason from canonical_events`,
      );
      expect(emitted).toEqual([{ type: 'hookport.event.dead', reason: row!.last_error }]);
      expect(await h.rows(sql`select id from deliveries`)).toEqual([]);
    });
  });
});

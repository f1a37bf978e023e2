import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import type { AnyProvider } from '../../src/contract/provider';
import type { RecordChange } from '../../src/contract/record-changes';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilio } from '../helpers/webhooks';

/**
 * A record kind nobody writes must never pass for done: the event fails (and retries, then dies)
 * instead of being marked processed with no row written.
 */
describe.each(databaseKinds())('record changes with no applier on %s', (kind) => {
  const unwritable: AnyProvider = {
    ...providers.twilio,
    normalize: () => ({
      events: [
        {
          type: 'message.received',
          occurredAt: null,
          // A kind no provider declares, as a provider that forgot its applier would emit.
          record: { kind: 'no_such_kind', provider: 'twilio', externalId: 'x1' } as unknown as RecordChange,
        },
      ],
    }),
  };
  const h = suiteHarness(kind, {}, { providers: { ...providers, twilio: unwritable } });

  it('fails the event, naming the kind, and writes no canonical event', async () => {
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    // drain() keeps retrying while a retry is due; none of the attempts may pass.
    const outcomes = await h.drain();
    expect(outcomes[0]).toBe('failed');
    expect(outcomes).not.toContain('processed');
    const [event] = await h.rows<{ status: string; last_error: string }>(
      sql`select status, last_error from webhook_events where provider = 'twilio'`,
    );
    expect(event?.status).toMatch(/^(failed|dead)$/);
    expect(event?.last_error).toContain('no applier for record kind "no_such_kind"');
    expect(await h.rows(sql`select id from canonical_events`)).toEqual([]);
  });
});

import { sql } from 'drizzle-orm';
import { readJsonFixture } from '../helpers/fixtures';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, postResend, postTwilio, statusCallback, twilioSid } from '../helpers/webhooks';

/** Callbacks arrive late and in any order: each is processed before the next is sent. */
describe.each(databaseKinds())('out-of-order events on %s', (kind) => {
  const h = suiteHarness(kind);

  it.each([
    ['delivered', 'sent', 'delivered'],
    ['read', 'delivered', 'read'],
    ['failed', 'sent', 'failed'],
    ['undelivered', 'delivered', 'undelivered'],
  ])('Twilio %s then %s leaves the message %s', async (first, second, expected) => {
    const sid = twilioSid();
    const failure = (status: string) =>
      ['failed', 'undelivered'].includes(status) ? { ErrorCode: '30003' } : undefined;
    for (const status of [first, second]) {
      expect((await postTwilio(h, statusCallback(sid, status, failure(status)))).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const rows = await h.rows(sql`select status, error_code from messages where external_id = ${sid}`);
    expect(rows).toEqual([{ status: expected, error_code: failure(expected)?.ErrorCode ?? null }]);
  });

  it.each([
    ['delivered', 'sent', 'delivered'],
    ['bounced', 'delivered', 'bounced'],
    ['clicked', 'opened', 'clicked'],
  ])('Resend %s then %s leaves the email %s', async (first, second, expected) => {
    const id = emailId();
    // The fixtures' own times: the later event (by created_at) is the one that arrives first.
    for (const status of [first, second]) {
      expect((await postResend(h, emailEvent(`email.${status}`, id))).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const [row] = await h.rows<{ status: string; bounce: unknown }>(
      sql`select status, bounce from emails where external_id = ${id}`,
    );
    const bounce = expected === 'bounced' ? readJsonFixture('email.bounced').data.bounce : null;
    expect(row).toEqual({ status: expected, bounce });
  });

  it('a late Resend event of the same rank does not turn the status time back', async () => {
    const id = emailId();
    const t = (s: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, s));
    for (const at of [t(30), t(10)]) {
      expect((await postResend(h, emailEvent('email.opened', id, { at }))).status).toBe(200);
      expect(await h.drain()).toEqual(['processed']);
    }
    const [row] = await h.rows<{ status: string; status_at: string; open_count: number }>(
      sql`select status, status_at, open_count from emails where external_id = ${id}`,
    );
    expect(row).toMatchObject({ status: 'opened', open_count: 2 });
    expect(new Date(row!.status_at)).toEqual(t(30));
  });
});

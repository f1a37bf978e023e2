import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { claimEvents } from '../../src/inbox/claim';
import { LostClaimError, markProcessed } from '../../src/inbox/settle';
import { createLogger } from '../../src/log/logger';
import { processEvent } from '../../src/worker/process';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';

describe.each(databaseKinds())('claim leases on %s', (kind) => {
  const h = suiteHarness(kind);

  it('a claimer that dies is replaced after its lease, and its late settle changes nothing', async () => {
    const db = h.runtime.database.db;
    const claim = (leaseSeconds: number) => claimEvents(db, { limit: 10, leaseSeconds, maxAttempts: 8 });
    const id = emailId();
    expect((await postResend(h, emailEvent('email.opened', id))).status).toBe(200);

    // A worker claims with a 1-second lease, then "dies" (never settles).
    const [stale] = await claim(1);
    expect(stale).toMatchObject({ provider: 'resend', eventType: 'email.opened', attempts: 1 });
    expect(await claim(60)).toEqual([]);
    expect(await h.rows(sql`select status from webhook_events`)).toEqual([{ status: 'processing' }]);

    await new Promise((r) => setTimeout(r, 1200));
    const [fresh] = await claim(60);
    expect(fresh).toMatchObject({ id: stale!.id, attempts: 2 });
    const settled = sql`select status, attempts from webhook_events`;
    const counted = sql`select open_count from emails where external_id = ${id}`;
    const deps = { db, config: h.config, logger: createLogger('error', true), providers };

    // The stale claimer wakes up while the new one holds the event: fenced off by attempts, rolled back whole.
    expect(await processEvent(deps, stale!)).toBe('lost');
    expect(await h.rows(settled)).toEqual([{ status: 'processing', attempts: 2 }]);
    expect(await h.rows(counted)).toEqual([]);

    expect(await processEvent(deps, fresh!)).toBe('processed');
    expect(await h.rows(settled)).toEqual([{ status: 'processed', attempts: 2 }]);
    expect(await h.rows(counted)).toEqual([{ open_count: 1 }]);

    // And once the event is done, a late settle still changes nothing.
    await expect(markProcessed(db, [stale!])).rejects.toBeInstanceOf(LostClaimError);
    expect(await processEvent(deps, stale!)).toBe('lost');
    expect(await h.rows(settled)).toEqual([{ status: 'processed', attempts: 2 }]);
    expect(await h.rows(counted)).toEqual([{ open_count: 1 }]);
  });

  it('an event whose worker dies on every attempt is dead after the last one, not retaken forever', async () => {
    const db = h.runtime.database.db;
    await db.execute(sql`truncate webhook_events`);
    expect((await postResend(h, emailEvent('email.opened', emailId()))).status).toBe(200);
    const dead: unknown[] = [];
    const claim = () => claimEvents(db, { limit: 10, leaseSeconds: 1, maxAttempts: 2, onDead: (d) => dead.push(...d) });

    expect(await claim()).toMatchObject([{ attempts: 1 }]); // the worker "crashes" holding it
    await new Promise((r) => setTimeout(r, 1200));
    expect(await claim()).toMatchObject([{ attempts: 2 }]); // and again, on the last attempt
    await new Promise((r) => setTimeout(r, 1200));
    expect(await claim()).toEqual([]);
    expect(dead).toMatchObject([{ provider: 'resend', eventType: 'email.opened', attempts: 2 }]);
    const [row] = await h.rows<{ status: string; attempts: number; last_error: string }>(
      sql`select status, attempts, last_error from webhook_events`,
    );
    expect(row).toMatchObject({ status: 'dead', attempts: 2 });
    expect(row!.last_error).toMatch(/lease expired/);
  });
});

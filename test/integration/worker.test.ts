import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { openDatabase } from '../../src/db/client';
import { queryRows } from '../../src/db/rows';
import { createLogger } from '../../src/log/logger';
import type { AnyProvider } from '../../src/contract/provider';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';
import { deferred, waitFor } from '../helpers/wait';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

describe.each(databaseKinds())('in-process worker on %s', (kind) => {
  // Resend events pause in normalize until the test lets them go: "the worker is mid-event".
  const entered = deferred();
  const release = deferred();
  const pausingResend: AnyProvider = {
    ...providers.resend,
    normalize: async (payload, context) => {
      entered.resolve();
      await release.promise;
      return providers.resend.normalize(payload, context);
    },
  };
  // PGlite on disk, so the database can be reopened after the runtime has shut down.
  const dataDir = kind === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), 'hookport-worker-')) : undefined;
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(
      kind,
      // The periodic sweep is as slow as allowed: only the wake-up on store can explain prompt processing.
      { WORKER_ENABLED: 'true', WORKER_SWEEP_MS: '600000', ...(dataDir ? { DATA_DIR: dataDir } : {}) },
      { providers: { ...providers, resend: pausingResend } },
    );
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    release.resolve();
    await h.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const eventStatuses = () => h.rows<{ status: string }>(sql`select status from webhook_events`);

  it('processes a stored event without drain(), woken by the store', async () => {
    const params = inboundSms();
    expect((await postTwilio(h, params)).status).toBe(200);
    await waitFor(eventStatuses, (rows) => rows[0]?.status === 'processed', 5000);
    expect(await h.rows(sql`select external_id from messages`)).toEqual([{ external_id: params.MessageSid }]);
  });

  it('close() lets the event in hand finish before the database closes', async () => {
    const id = emailId();
    expect((await postResend(h, emailEvent('email.delivered', id))).status).toBe(200);
    await entered.promise;
    expect(await h.rows(sql`select status from webhook_events where provider = 'resend'`)).toEqual([
      { status: 'processing' },
    ]);

    let closed = false;
    const closing = h.runtime.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false); // still waiting for the event in hand
    release.resolve();
    await closing;

    const reopened = await openDatabase({
      databaseUrl: h.config.databaseUrl,
      dataDir: h.config.dataDir,
      poolSize: 1,
      timeoutMs: 3000,
      logger: createLogger('error', true),
    });
    try {
      const events = await queryRows(
        reopened.db,
        sql`select provider, status from webhook_events order by received_at`,
      );
      expect(events).toEqual([
        { provider: 'twilio', status: 'processed' },
        { provider: 'resend', status: 'processed' },
      ]);
      expect(await queryRows(reopened.db, sql`select status from emails where external_id = ${id}`)).toEqual([
        { status: 'delivered' },
      ]);
    } finally {
      await reopened.close();
    }
  });
});

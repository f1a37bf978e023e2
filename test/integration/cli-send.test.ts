import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { cliEnv, hookport, listen } from '../helpers/cli';

/** Every sample `hookport send` has, as [provider, event]. */
const SAMPLES = Object.values(providers).flatMap((p) =>
  Object.keys(p.samples ?? {}).map((event) => [p.name, event] as const),
);

/** The event type Hookport stores for a sample: Twilio's is derived from the status, the others' are their own. */
function storedType(provider: string, event: string): string {
  if (provider !== 'twilio') return event;
  return event.startsWith('status.') ? `message.status.${event.slice('status.'.length)}` : 'message.inbound';
}

describe.each(databaseKinds())('hookport send, posted to a running Hookport (%s)', (kind) => {
  const h = suiteHarness(kind);
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen(h);
  });
  afterAll(() => server?.close());

  it('has a sample for every provider, and each is answered 200, stored with its type, and processed (none dead)', async () => {
    // Sources are rows, not code: each one's requests are signed by its sender (test/integration/sources.test.ts).
    const fixed = Object.values(providers).filter((p) => !p.instances);
    expect(new Set(SAMPLES.map(([p]) => p))).toEqual(new Set(fixed.map((p) => p.name)));
    for (const [provider, event] of SAMPLES) {
      const run = await hookport(['send', provider, event, '--url', server.url], cliEnv());
      expect({ sample: `${provider} ${event}`, code: run.code, err: run.err }).toEqual({
        sample: `${provider} ${event}`,
        code: 0,
        err: '',
      });
      // Slack's app calls the Request URLs it was set up with, and reads the answer as a message.
      const path = provider === 'slack' ? '/slack/commands' : `/webhooks/${provider}`;
      expect(run.out).toContain(`POST ${server.url}${path} (${provider} ${event})\n200 OK\n`);
      expect(run.out).toContain(
        { twilio: '<Response/>', slack: '"response_type":"ephemeral"' }[provider as string] ?? '"duplicate":false',
      );
    }
    const rows = await h.rows<{ provider: string; event_type: string }>(
      sql`select provider, event_type from webhook_events`,
    );
    const stored = rows.map((r) => `${r.provider} ${r.event_type}`).sort();
    expect(stored).toEqual(SAMPLES.map(([p, e]) => `${p} ${storedType(p, e)}`).sort());
    const outcomes = await h.drain();
    expect(outcomes).toHaveLength(SAMPLES.length);
    const settled = await h.rows<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from webhook_events group by status`,
    );
    // A Slack command is answered when it arrives; the worker has nothing to record.
    expect(settled.filter((r) => r.status !== 'processed')).toEqual([{ status: 'ignored', n: 1 }]);
    // twilio sms.stop, then sms.start, from the sample customer: suppressed, then lifted.
    const events = await h.rows<{ type: string }>(
      sql`select type from canonical_events where external_id like 'sms:%' order by occurred_at`,
    );
    expect(events.map((e) => e.type)).toEqual(['contact.suppressed', 'contact.unsuppressed']);
    expect(await h.rows(sql`select address, suppressed, reason from suppressions where channel = 'sms'`)).toEqual([
      { address: '+14155550100', suppressed: false, reason: 'opted_out' },
    ]);
  }, 120_000);

  it('sends a Slack command with the text given, answered from the tables', async () => {
    await h.rows(sql`insert into clients (provider, external_id, account_id, source_occurred_at, sync_status, name)
      values ('jobber', 'cli-dana', 'acct', now(), 'synced', 'Dana Scully')`);
    const run = await hookport(['send', 'slack', 'command', '/jobber client dana', '--url', server.url], cliEnv());
    expect(run.code).toBe(0);
    expect(run.out).toContain(`POST ${server.url}/slack/commands (slack command)\n200 OK\n`);
    expect(run.out).toContain('1 client matches “dana”');
  });

  it('sends fresh ids each time, so a second send of the same sample is not a duplicate', async () => {
    for (const [provider, event] of [
      ['resend', 'email.delivered'],
      ['thumbtack', 'MessageCreatedV4'],
      ['jobber', 'CLIENT_CREATE'],
      ['twilio', 'sms.received'],
    ]) {
      const first = await hookport(['send', provider!, event!, '--url', server.url], cliEnv());
      const second = await hookport(['send', provider!, event!, '--url', server.url], cliEnv());
      expect([first.code, second.code]).toEqual([0, 0]);
      if (provider !== 'twilio') expect(second.out).toContain('"duplicate":false');
    }
  });
});

describe('hookport send without a server to post to', () => {
  it('--list prints every provider and event, one per line', async () => {
    const run = await hookport(['send', '--list'], {});
    expect(run.code).toBe(0);
    expect(run.out.trimEnd().split('\n')).toEqual(SAMPLES.map(([p, e]) => `${p} ${e}`));
    for (const line of [
      'twilio sms.received',
      'twilio status.delivered',
      'resend email.bounced',
      'jobber CLIENT_CREATE',
      'thumbtack MessageCreatedV4',
    ]) {
      expect(run.out).toContain(`${line}\n`);
    }
  });

  it('a provider that is not configured exits 78 naming the variable to set, and sends nothing', async () => {
    const { RESEND_WEBHOOK_SECRET: _unset, ...env } = cliEnv();
    const run = await hookport(['send', 'resend', 'email.sent', '--url', 'http://127.0.0.1:9'], env);
    expect(run.code).toBe(78);
    expect(run.err).toBe("hookport: resend is not configured: set RESEND_WEBHOOK_SECRET (the same as the server's)\n");
    expect(run.out).toBe('');
  });

  it('an unknown provider or event exits 64 with the list', async () => {
    const provider = await hookport(['send', 'stripe', 'charge.succeeded'], cliEnv());
    expect(provider.code).toBe(64);
    expect(provider.err).toMatch(/no samples for provider "stripe"; providers: twilio, resend, thumbtack, jobber/);
    const event = await hookport(['send', 'twilio', 'sms.sent'], cliEnv());
    expect(event.code).toBe(64);
    expect(event.err).toMatch(
      /no sample "sms.sent" for twilio; its events: sms.received, mms.received, status.accepted/,
    );
    const none = await hookport(['send'], cliEnv());
    expect(none.code).toBe(64);
    expect(none.err).toContain('resend email.delivered\n');
  });

  it('no answer exits 1 and asks whether Hookport is running there', async () => {
    const run = await hookport(['send', 'resend', 'email.sent', '--url', 'http://127.0.0.1:9'], cliEnv());
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/is Hookport running at http:\/\/127\.0\.0\.1:9\?/);
  });
});

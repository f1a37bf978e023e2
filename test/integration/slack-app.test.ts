import { sql } from 'drizzle-orm';
import { commandForm } from '../../providers/slack/samples';
import { slackHeaders } from '../../providers/slack/sign';
import { SLACK_ACTIONS } from '../../providers/slack/actions';
import { FakeSlackResponses, messageProblem, type ResponsePost } from '../fakes/slack-responses';
import { databaseKinds, openHarness, OPEN_TIMEOUT_MS, TEST_SECRETS, type Harness } from '../helpers/harness';
import { signIn } from '../helpers/console';
import { captureLogs } from '../helpers/logs';
import { waitFor } from '../helpers/wait';
import { FakeSlack } from '../fakes/slack';
import { postThumbtack, thumbtackFixture } from '../fakes/thumbtack-deliveries';

const ADMIN_TOKEN = 'admin-token-for-the-slack-app-tests-0123456789';
/** A rotation: the new secret first, Slack's example (the harness's) second. */
const NEW_SECRET = 'new-slack-signing-secret-0123456789abcdef';

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}
interface Answer {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks: { type: string; text?: { text: string }; elements?: { type: string; text: string | { text: string } }[] }[];
}

/** Every text a person reads in a message. */
const readable = (a: Answer) =>
  [
    a.text,
    ...a.blocks.flatMap((b) => [
      b.text?.text,
      ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text.text)),
    ]),
  ]
    .filter(Boolean)
    .join('\n');
const buttonsOf = (a: Answer): Button[] =>
  a.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])) as unknown as Button[];

async function seed(h: Harness) {
  const client = (id: string, name: string, extra: { deleted?: boolean; email?: string; phone?: string } = {}) =>
    h.rows(sql`insert into clients (provider, external_id, account_id, source_occurred_at, sync_status, name, last_name, emails, phones, deleted_at)
      values ('jobber', ${id}, 'acct', now(), 'synced', ${name}, ${name.split(' ').at(-1) ?? ''},
        ${JSON.stringify(extra.email ? [{ address: extra.email, primary: true }] : [])}::jsonb,
        ${JSON.stringify(extra.phone ? [{ number: extra.phone, primary: true }] : [])}::jsonb,
        ${extra.deleted ? new Date().toISOString() : null})`);
  await client('c-dana', 'Dana Scully', { email: 'Dana.Scully@Example.com', phone: '+1 (415) 555-0101' });
  for (let i = 1; i <= 6; i++) await client(`c-dana-${i}`, `Dana Other${i}`);
  await client('c-gone', 'Dana Deleted', { deleted: true });
  await client('c-hostile', '<!channel> & <@U123> Mallory');
  const job = (id: string, n: number, clientId: string, status: string, start: Date | null, extra = '') =>
    h.rows(sql`insert into jobs (provider, external_id, account_id, source_occurred_at, sync_status, job_number, title, status, client_external_id, total, start_at, deleted_at)
      values ('jobber', ${id}, 'acct', now(), 'synced', ${n}, ${`Fix the ${extra || 'sink'}`}, ${status}, ${clientId}, 120, ${start?.toISOString() ?? null},
        ${extra === 'deleted' ? new Date().toISOString() : null})`);
  const now = new Date();
  await job('j-1', 101, 'c-dana', 'today', now, 'sink');
  await job('j-2', 102, 'c-dana', 'upcoming', new Date(now.getTime() + 5 * 86_400_000), 'roof');
  await job('j-3', 103, 'c-dana', 'archived', null, 'fence');
  await job('j-4', 104, 'c-dana', 'upcoming', null, 'deleted');
  await job('j-5', 105, 'c-hostile', 'upcoming', null, '<!here> gutter');
  const invoice = (id: string, number: string, clientId: string, status: string, due: number) =>
    h.rows(sql`insert into invoices (provider, external_id, account_id, source_occurred_at, sync_status, invoice_number, subject, status, client_external_id, total, amount_due, amount_paid)
      values ('jobber', ${id}, 'acct', now(), 'synced', ${number}, 'Work', ${status}, ${clientId}, 500, ${due}, ${500 - due})`);
  await invoice('i-1', '1001', 'c-dana', 'awaiting_payment', 200);
  await invoice('i-2', '1002', 'c-dana', 'past_due', 300.5);
  await invoice('i-3', '1003', 'c-dana', 'paid', 0);
  await invoice('i-4', '1004', 'c-dana-1', 'draft', 500);
  await h.rows(sql`insert into leads (provider, external_id, customer_name, customer_phone, category, description, status)
    values ('thumbtack', 'lead-1', 'Fox Mulder', '+14155550199', 'Plumbing', 'Leaky <!channel> faucet', 'new')`);
}

describe.each(databaseKinds())('the Slack app on %s', (kind) => {
  const fake = new FakeSlackResponses();
  const logs = captureLogs('info');
  let h: Harness;
  beforeAll(async () => {
    await fake.start();
    h = await openHarness(
      kind,
      {
        ADMIN_TOKEN,
        SLACK_SIGNING_SECRET: `${NEW_SECRET},${TEST_SECRETS.slackSigningSecret}`,
        SLACK_RESPONSE_URL_ORIGIN: fake.origin,
        DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
      },
      { logger: logs.logger },
    );
    await seed(h);
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await h?.close();
    await fake.close();
  });

  const command = async (line: string, secret = NEW_SECRET) => {
    const form = commandForm(line);
    const body = new URLSearchParams(form).toString();
    const res = await h.http().post('/slack/commands').set(slackHeaders(secret, body)).send(body);
    return { res, answer: res.body as Answer, form };
  };
  const click = (actionId: string, value: string, responseUrl = fake.responseUrl(), secret = NEW_SECRET) => {
    const payload = {
      type: 'block_actions',
      user: { id: 'U0SAMPLE01', username: 'dispatcher' },
      trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abc${Math.floor(Math.random() * 1e9)}`,
      response_url: responseUrl,
      actions: [{ type: 'button', action_id: actionId, value, block_id: 'b', action_ts: '1' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return h.http().post('/slack/interactions').set(slackHeaders(secret, body)).send(body);
  };
  /** The one message posted to `url`. */
  const postedTo = async (url: string): Promise<Answer> => {
    const path = new URL(url).pathname;
    const [post] = await waitFor(
      async () => fake.posts.filter((p) => p.path === path),
      (posts) => posts.length > 0,
    );
    expect(post!.answered).toBe(200);
    return post!.message as unknown as Answer;
  };

  describe('verification', () => {
    it('accepts either secret of a rotation', async () => {
      expect((await command('/jobber help')).res.status).toBe(200);
      expect((await command('/jobber help', TEST_SECRETS.slackSigningSecret)).res.status).toBe(200);
    });

    it.each([
      ['forged', () => slackHeaders('not-the-secret-000000000000000', 'text=help')],
      ['stale', () => slackHeaders(NEW_SECRET, 'text=help', Date.now() - 6 * 60_000)],
      ['from the future', () => slackHeaders(NEW_SECRET, 'text=help', Date.now() + 6 * 60_000)],
      ['missing', () => ({ 'content-type': 'application/x-www-form-urlencoded' })],
    ])('refuses a %s request with 401 invalid_signature, storing nothing', async (_name, headers) => {
      const before = await h.rows(sql`select count(*)::int as n from webhook_events`);
      for (const path of ['/slack/commands', '/slack/interactions']) {
        const res = await h.http().post(path).set(headers()).send('command=%2Fjobber&text=help');
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'invalid_signature', message: expect.any(String) });
      }
      expect(await h.rows(sql`select count(*)::int as n from webhook_events`)).toEqual(before);
    });
  });

  describe('commands', () => {
    it.each(['/jobber help', '/jobber', '/jobber frobnicate'])('%s lists the commands, ephemerally', async (line) => {
      const { res, answer } = await command(line);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.response_type).toBe('ephemeral');
      expect(messageProblem(answer.blocks)).toBeNull();
      for (const c of ['/jobber client', '/jobber jobs', '/jobber invoices', '/jobber help'])
        expect(readable(answer)).toContain(c);
      if (line.endsWith('frobnicate')) expect(readable(answer)).toContain('Unknown command “frobnicate”');
    });

    it('finds clients by name (any case), email or phone, with contact, open jobs and unpaid balance', async () => {
      const byName = (await command('/jobber client DANA SCULLY')).answer;
      expect(byName.text).toBe('1 client matches “DANA SCULLY”');
      const card = readable(byName);
      expect(card).toContain('*Dana Scully*');
      expect(card).toContain('Dana.Scully@Example.com');
      expect(card).toContain('+1 (415) 555-0101');
      // j-1 and j-2 are open; j-3 is archived and j-4 deleted. i-1 + i-2 are unpaid; paid and draft are not.
      expect(card).toContain('2 open jobs');
      expect(card).toContain('500.50 unpaid (2 invoices)');
      expect(buttonsOf(byName)).toEqual([
        expect.objectContaining({ action_id: SLACK_ACTIONS.clientJobs, value: 'c-dana' }),
        expect.objectContaining({ action_id: SLACK_ACTIONS.clientInvoices, value: 'c-dana' }),
      ]);
      for (const text of ['dana.scully@example', '415 555 0101', '5550101', 'scully'])
        expect(readable((await command(`/jobber client ${text}`)).answer)).toContain('*Dana Scully*');
    });

    it('leaves deleted clients out, counts what it does not show, and says when nothing matches', async () => {
      const { answer } = await command('/jobber client dana');
      // Seven Danas (Dana Deleted is not one of them), five shown.
      expect(answer.text).toBe('7 clients match “dana”');
      expect(readable(answer)).toContain('showing 5 of 7 — refine the search');
      expect(readable(answer)).not.toContain('Deleted');
      expect(buttonsOf(answer).filter((b) => b.action_id === SLACK_ACTIONS.clientJobs)).toHaveLength(5);
      expect(answer.blocks.length).toBeLessThanOrEqual(50);
      expect((await command('/jobber client deleted')).answer.text).toBe('No client matches “deleted”.');
      expect((await command('/jobber client nobody-at-all')).answer.text).toBe('No client matches “nobody-at-all”.');
    });

    it('lists open jobs, today’s, and a client’s', async () => {
      const open = readable((await command('/jobber jobs')).answer);
      expect(open).toContain('#101 Fix the sink');
      expect(open).toContain('#102 Fix the roof');
      expect(open).not.toContain('#103');
      expect(open).not.toContain('#104');
      const today = readable((await command('/jobber jobs today')).answer);
      expect(today).toContain('#101');
      expect(today).not.toContain('#102');
      const ofClient = (await command('/jobber jobs scully')).answer;
      expect(readable(ofClient)).toContain('#103 Fix the fence');
      expect(readable(ofClient)).not.toContain('#105');
      expect(buttonsOf(ofClient)[0]).toMatchObject({ action_id: SLACK_ACTIONS.client, value: 'c-dana' });
      expect((await command('/jobber jobs nobody-at-all')).answer.text).toContain('none');
    });

    it('lists unpaid invoices with their total, and one invoice by number', async () => {
      const unpaid = (await command('/jobber invoices unpaid')).answer;
      expect(unpaid.text).toBe('2 unpaid invoices, 500.50 due in all');
      expect(readable(unpaid)).toContain('Invoice #1001');
      expect(readable(unpaid)).toContain('Invoice #1002');
      expect(readable(unpaid)).not.toContain('#1003');
      expect(readable(unpaid)).not.toContain('#1004');
      expect(buttonsOf(unpaid).map((b) => b.action_id)).toEqual([SLACK_ACTIONS.invoice, SLACK_ACTIONS.invoice]);
      const one = (await command('/jobber invoices #1003')).answer;
      expect(readable(one)).toContain('total 500.00 · paid 500.00 · due 0.00');
      expect((await command('/jobber invoices 9999')).answer.text).toBe('No invoice #9999.');
    });

    it('escapes every value, so a hostile name mentions no one', async () => {
      const { answer } = await command('/jobber client <!channel>');
      const json = JSON.stringify(answer);
      expect(json).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt; Mallory');
      expect(json).toContain('“&lt;!channel&gt;”');
      expect(json).not.toMatch(/<!channel>|<@U123>|<!here>/);
      const jobs = JSON.stringify((await command('/jobber jobs mallory')).answer);
      expect(jobs).toContain('Fix the &lt;!here&gt; gutter');
      expect(jobs).not.toMatch(/<!here>|<!channel>/);
    });

    it('stores each command in the inbox, and a replay of it posts nothing', async () => {
      const { res, form } = await command('/jobber client dana');
      expect(res.status).toBe(200);
      const [row] = await h.rows<{ id: string; event_type: string; request_path: string }>(
        sql`select id, event_type, request_path from webhook_events where dedupe_key = ${`trigger:${form.trigger_id}`}`,
      );
      expect(row).toMatchObject({ event_type: 'command', request_path: '/slack/commands' });
      await h.drain();
      const posts = fake.posts.length;
      const replay = await h
        .http()
        .post(`/admin/api/events/${row!.id}/replay`)
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(replay.status).toBeLessThan(300);
      await h.drain();
      const [after] = await h.rows<{ status: string }>(sql`select status from webhook_events where id = ${row!.id}`);
      expect(after!.status).toBe('ignored');
      expect(fake.posts.length).toBe(posts);
    });
  });

  describe('buttons', () => {
    it('a button from a real answer, clicked, posts its answer to the click’s response_url', async () => {
      const [jobsButton] = buttonsOf((await command('/jobber client scully')).answer);
      const url = fake.responseUrl();
      const res = await click(jobsButton!.action_id, jobsButton!.value, url);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const message = await postedTo(url);
      expect(message).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(message.text).toBe('3 jobs of Dana Scully');
      expect(readable(message)).toContain('#102 Fix the roof');
      expect(readable(message)).not.toContain('#104');

      const [invoiceButton] = buttonsOf((await command('/jobber invoices')).answer);
      const invoiceUrl = fake.responseUrl();
      await click(invoiceButton!.action_id, invoiceButton!.value, invoiceUrl);
      expect(readable(await postedTo(invoiceUrl))).toContain('total 500.00 · paid 300.00 · due 200.00');
    });

    it('answers the notices’ buttons too: a client’s invoices, a client, a lead', async () => {
      const urls = [fake.responseUrl(), fake.responseUrl(), fake.responseUrl()];
      await click(SLACK_ACTIONS.clientInvoices, 'c-dana', urls[0]);
      await click(SLACK_ACTIONS.client, 'c-hostile', urls[1]);
      await click(SLACK_ACTIONS.lead, 'lead-1', urls[2]);
      expect((await postedTo(urls[0]!)).text).toBe('3 invoices of Dana Scully');
      const hostile = JSON.stringify(await postedTo(urls[1]!));
      expect(hostile).toContain('&lt;!channel&gt;');
      expect(hostile).not.toContain('<!channel>');
      const lead = readable(await postedTo(urls[2]!));
      expect(lead).toContain('*Fox Mulder* — Plumbing');
      expect(lead).toContain('Leaky &lt;!channel&gt; faucet');
    });

    it('a notice’s button, clicked, is answered: a new lead posted to a Slack destination, then Show lead', async () => {
      const incoming = new FakeSlack();
      await incoming.start();
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      try {
        const sub = await h
          .http()
          .post('/admin/api/subscriptions')
          .set(auth)
          .send({
            kind: 'slack',
            url: incoming.url,
            eventTypes: ['lead.created'],
          });
        expect(sub.status).toBe(201);
        const lead = thumbtackFixture('negotiation-created');
        lead.data.negotiationID = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
        expect((await postThumbtack(h, lead)).status).toBe(200);
        await h.drain();
        // Left running: stopping it closes the outbound client the clicks' answers go out through.
        h.runtime.deliveryWorker.start();
        const [notice] = await waitFor(
          () => Promise.resolve(incoming.posts),
          (posts) => posts.length > 0,
        );
        const show = (notice!.message!.blocks ?? [])
          .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
          .find((e) => e.action_id === SLACK_ACTIONS.lead);
        expect(show).toMatchObject({ text: { text: 'Show lead' }, value: lead.data.negotiationID });
        const url = fake.responseUrl();
        expect((await click(SLACK_ACTIONS.lead, String(show!.value), url)).status).toBe(200);
        expect(readable(await postedTo(url))).toContain(lead.data.customer!.firstName);
        await h.http().delete(`/admin/api/subscriptions/${sub.body.id}`).set(auth);
      } finally {
        await incoming.close();
      }
    });

    it('answers an unknown action or id with a short “not found”', async () => {
      const urls = [fake.responseUrl(), fake.responseUrl(), fake.responseUrl()];
      await click('hookport.nothing', 'x', urls[0]);
      await click(SLACK_ACTIONS.invoice, 'no-such-invoice', urls[1]);
      await click(SLACK_ACTIONS.client, 'c-gone', urls[2]);
      expect((await postedTo(urls[0]!)).text).toMatch(/not found/);
      expect((await postedTo(urls[1]!)).text).toBe('Invoice not found.');
      expect((await postedTo(urls[2]!)).text).toBe('Client not found.');
    });

    it('a forged click posts nothing', async () => {
      const url = fake.responseUrl();
      const res = await click(SLACK_ACTIONS.client, 'c-dana', url, 'not-the-secret-000000000000000');
      expect(res.status).toBe(401);
      // A genuine click after it is answered; the forged one never was.
      const after = fake.responseUrl();
      await click(SLACK_ACTIONS.client, 'c-dana', after);
      await postedTo(after);
      expect(fake.posts.filter((p) => p.path === new URL(url).pathname)).toEqual([]);
    });

    it('refuses a response_url on another host: nothing posted, a log line', async () => {
      const other = new FakeSlackResponses();
      await other.start();
      try {
        const evil = other.responseUrl();
        const res = await click(SLACK_ACTIONS.client, 'c-dana', evil);
        expect(res.status).toBe(200);
        await click(SLACK_ACTIONS.client, 'c-dana', 'https://hooks.slack.com.evil.example/actions/T/1/x');
        const refused = await waitFor(
          async () => logs.lines.filter((l) => l.message === 'slack response_url refused: not a Slack host'),
          (lines) => lines.length >= 2,
        );
        expect(refused.map((l) => l.origin)).toEqual([other.origin, 'https://hooks.slack.com.evil.example']);
        // The path of a response_url is a credential: only the origin is logged.
        expect(logs.raw()).not.toContain(new URL(evil).pathname);
        expect(other.posts).toEqual([] as ResponsePost[]);
      } finally {
        await other.close();
      }
    });

    it('stores each click in the inbox, and neither a replay nor a resend posts again', async () => {
      const url = fake.responseUrl();
      const payload = {
        type: 'block_actions',
        trigger_id: '111.222.resend',
        response_url: url,
        actions: [{ action_id: SLACK_ACTIONS.client, value: 'c-dana' }],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const headers = slackHeaders(NEW_SECRET, body);
      expect((await h.http().post('/slack/interactions').set(headers).send(body)).status).toBe(200);
      await postedTo(url);
      expect((await h.http().post('/slack/interactions').set(headers).send(body)).status).toBe(200);
      const [row] = await h.rows<{ id: string; event_type: string; request_path: string }>(
        sql`select id, event_type, request_path from webhook_events where dedupe_key = 'trigger:111.222.resend'`,
      );
      expect(row).toMatchObject({ event_type: 'block_actions', request_path: '/slack/interactions' });
      await h.drain();
      const replay = await h
        .http()
        .post(`/admin/api/events/${row!.id}/replay`)
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(replay.status).toBeLessThan(300);
      await h.drain();
      // Give a stray post (there must be none) the time one takes to arrive.
      const probe = fake.responseUrl();
      await click(SLACK_ACTIONS.client, 'c-dana', probe);
      await postedTo(probe);
      expect(fake.posts.filter((p) => p.path === new URL(url).pathname)).toHaveLength(1);
    });
  });

  describe('the console', () => {
    it('shows the Request URLs, the manifest, and the last commands and clicks, escaped', async () => {
      await command('/jobber client <b>bold</b>');
      await click(SLACK_ACTIONS.invoice, 'i-1');
      const cookie = await signIn(h, ADMIN_TOKEN);
      const page = await h.http().get('/admin/providers/slack/setup').set('Cookie', cookie);
      expect(page.status).toBe(200);
      expect(page.text).toContain('https://hooks.example.com/slack/commands');
      expect(page.text).toContain('https://hooks.example.com/slack/interactions');
      expect(page.text).toContain('&quot;should_escape&quot;: false');
      expect(page.text).toContain('/jobber client &lt;b&gt;bold&lt;/b&gt;');
      expect(page.text).not.toContain('<b>bold</b>');
      expect(page.text).toContain('hookport.invoice i-1');
      expect(page.text).toContain('block_actions');
    });
  });
});

describe('the Slack app, not configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('pglite', { SLACK_SIGNING_SECRET: '' });
  }, OPEN_TIMEOUT_MS);
  afterAll(() => h?.close());

  it.each(['/slack/commands', '/slack/interactions'])('%s answers 503 provider_not_configured', async (path) => {
    const body = 'command=%2Fjobber&text=help';
    const res = await h.http().post(path).set(slackHeaders(TEST_SECRETS.slackSigningSecret, body)).send(body);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      error: 'provider_not_configured',
      message: expect.stringContaining('SLACK_SIGNING_SECRET'),
    });
  });
});

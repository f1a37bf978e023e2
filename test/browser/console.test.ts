import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { storeConnection } from '../../providers/jobber/oauth/tokens';
import { ADMIN_TOKEN } from '../helpers/console';
import { registerSecret } from '../helpers/log-capture';
import { Receiver } from '../helpers/receiver';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';
import { postThumbtack, thumbtackFixture, thumbtackFixtureText } from '../fakes/thumbtack-deliveries';
import { postJobber, readJobberWebhook } from '../fakes/jobber-fixtures';
import {
  emailEvent,
  emailId,
  inboundSms,
  postResend,
  postTwilio,
  statusCallback,
  twilioSid,
} from '../helpers/webhooks';

/**
 * The console in a real browser (Debian's chromium through playwright-core) against a real Hookport
 * listening on an ephemeral port, with the worker running. Every page is screenshotted into
 * test-artifacts/screenshots/ (git-ignored) for a person to look at.
 */
const CHROMIUM = process.env.HOOKPORT_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const BUSINESS = '590297085345701895';
const available = existsSync(CHROMIUM);
if (!available) {
  console.log(
    `browser tests SKIPPED: no chromium at ${CHROMIUM} (install Debian's chromium, or set HOOKPORT_CHROMIUM)`,
  );
}

/** What the test reads of a canvas in the page (the tests compile without the DOM's types). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

(available ? describe.each(databaseKinds()) : describe.skip.each(databaseKinds()))(
  'the console in chromium on %s',
  (kind) => {
    let h: Harness;
    let server: Server;
    let origin: string;
    let fake: FakeThumbtack;
    let browser: Browser;
    let page: Page;
    const shot = async (name: string) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${kind}-${name}.png`), fullPage: true });
    };
    const status = async (id: string) =>
      (await h.rows<{ status: string }>(sql`select status from webhook_events where id = ${id}::uuid`))[0]?.status;

    beforeAll(async () => {
      fake = await startFakeThumbtack({ businesses: [BUSINESS] });
      h = await openHarness(kind, {
        ADMIN_TOKEN,
        WORKER_ENABLED: 'true',
        WORKER_SWEEP_MS: '200',
        THUMBTACK_API_URL: fake.url,
        THUMBTACK_ACCESS_TOKEN: fake.token,
        JOBBER_CLIENT_ID: 'console-browser-client',
        // The subscription flow delivers to a receiver on 127.0.0.1.
        DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
      });
      server = createServer(h.runtime.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
      page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      // Anything the page loads from elsewhere, or any script error, fails the test (checked after each).
      page.on('request', (request) => {
        if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreign.push(request.url());
      });
      page.on('pageerror', (err) => scriptErrors.push(err.message));
      // Chromium reports each thing the CSP refused as a console error.
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
          cspViolations.push(message.text());
      });
    }, OPEN_TIMEOUT_MS);
    const foreign: string[] = [];
    const scriptErrors: string[] = [];
    const cspViolations: string[] = [];
    afterEach(() => {
      // Only the Jobber connect button leaves Hookport, on purpose: to Jobber's consent page.
      expect(foreign.filter((url) => !url.startsWith('https://api.getjobber.com/api/oauth/authorize?'))).toEqual([]);
      expect(scriptErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      await h?.close();
      await fake?.close();
    });

    it('refuses a visitor without a session: the sign-in page', async () => {
      const response = await page.goto(`${origin}/admin/events`);
      expect(page.url()).toBe(`${origin}/admin/sign-in?next=%2Fadmin%2Fevents`);
      expect(response!.status()).toBe(200);
      await shot('sign-in');
      await page.fill('input[name=token]', 'not-the-token-but-long-enough-to-try-1234');
      await page.click('button[type=submit]');
      expect(await page.textContent('.notice.error')).toContain('That is not the admin token.');
      await shot('sign-in-refused');
    });

    it('signs in, and shows the overview with the figures of stored webhooks', async () => {
      // Traffic from every provider, and one forged request (a 401), so the overview has something to show.
      const posted = [
        await postThumbtack(h, thumbtackFixtureText('negotiation-created')),
        await postThumbtack(h, thumbtackFixtureText('message-from-customer')),
        await postTwilio(h, inboundSms()),
        await postResend(h, emailEvent('email.delivered', emailId())),
        await postJobber(h, readJobberWebhook('CLIENT_CREATE')),
      ];
      expect(posted.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect((await postThumbtack(h, thumbtackFixtureText('review-created'), 'Basic bm86cGU=')).status).toBe(401);
      await waitFor(
        'the worker',
        async () =>
          (await h.rows(sql`select 1 from webhook_events where status in ('pending', 'processing')`)).length === 0,
      );
      await h.runtime.counts.flush();

      await page.goto(`${origin}/admin/sign-in?next=%2Fadmin`);
      await page.fill('input[name=token]', ADMIN_TOKEN);
      await page.click('button[type=submit]');
      expect(page.url()).toBe(`${origin}/admin`);
      expect(await page.textContent('h1')).toBe('Overview');
      expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(0);
      expect(await page.textContent('table')).toContain('thumbtack');
      await shot('overview');
    });

    it('draws the business figures: rates, and a chart per day with uPlot', async () => {
      // Today's text messages (two delivered, one failed), emails (sent, delivered, one opened) and a lead answered in 20 minutes.
      const [a, b, c] = [twilioSid(), twilioSid(), twilioSid()];
      const emails = [emailId(), emailId()];
      const lead = thumbtackFixture('negotiation-created');
      lead.data.negotiationID = '590299344770669999';
      lead.data.createdAt = new Date(Date.now() - 3_600_000).toISOString();
      const reply = thumbtackFixture('message-from-business');
      Object.assign(reply.data, {
        messageID: '590299601734159999',
        negotiationID: lead.data.negotiationID,
        sentAt: new Date(Date.now() - 2_400_000).toISOString(),
      });
      const now = { at: new Date(), data: { created_at: new Date().toISOString() } };
      const posted = [
        await postTwilio(h, statusCallback(a, 'delivered')),
        await postTwilio(h, statusCallback(b, 'delivered')),
        await postTwilio(h, statusCallback(c, 'failed', { ErrorCode: '30008' })),
        ...(await Promise.all(emails.map((id) => postResend(h, emailEvent('email.delivered', id, now))))),
        await postResend(h, emailEvent('email.opened', emails[0]!, now)),
        await postThumbtack(h, JSON.stringify(lead)),
        await postThumbtack(h, JSON.stringify(reply)),
      ];
      expect(posted.map((r) => r.status)).toEqual(posted.map(() => 200));
      await waitFor(
        'the worker',
        async () =>
          (await h.rows(sql`select 1 from webhook_events where status in ('pending', 'processing')`)).length === 0,
      );
      await page.goto(`${origin}/admin`);
      // Signed in by the test above; run alone (-t), it signs in here.
      if (page.url().includes('/admin/sign-in')) {
        await page.fill('input[name=token]', ADMIN_TOKEN);
        await page.click('button[type=submit]');
      }
      expect(await page.textContent('#sms-delivery-rate b')).toBe('66.7%');
      expect(await page.textContent('#email-open-rate b')).toBe('50.0%');
      expect(await page.textContent('#leads-created')).toContain('median first reply 20.0 min (1 answered)');
      for (const chart of ['sms', 'email', 'leads']) {
        const card = page.locator(`#chart-${chart}`);
        await card.locator('canvas').waitFor();
        // Drawn: the canvas has painted pixels, and the table of the same numbers is folded away.
        const painted = await card.locator('canvas').evaluate((element) => {
          const canvas = element as unknown as Canvas;
          const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
          return Array.from(data).some((v, i) => i % 4 === 3 && v > 0);
        });
        expect({ chart, painted }).toEqual({ chart, painted: true });
        expect(await card.locator('details').getAttribute('open')).toBeNull();
      }
      await page.locator('#business').scrollIntoViewIfNeeded();
      await shot('business');
      await page
        .locator('h2#business ~ .charts')
        .screenshot({ path: join(SCREENSHOTS, `${kind}-business-charts.png`) });
    });

    it('lists stored events with filters, and opens one', async () => {
      await page.click('nav >> text=Events');
      expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
      await page.selectOption('select[name=provider]', 'thumbtack');
      await page.click('form.filters button[type=submit]');
      expect(page.url()).toContain('provider=thumbtack');
      const rows = await page.locator('tbody tr').allTextContents();
      expect(rows.every((r) => r.includes('thumbtack'))).toBe(true);
      await shot('events');
      await page.click('tbody tr >> nth=0 >> a');
      expect(await page.textContent('h1')).toMatch(/CreatedV4/);
      expect(await page.textContent('body')).toContain('[redacted]');
      expect(await page.locator('pre').first().textContent()).toContain('"eventType"');
      await shot('event');
    });

    it('keeps the overview and an event page light: HTML, CSS and JS weighed', async () => {
      const [event] = await h.rows<{ id: string }>(
        sql`select id from webhook_events where event_type = 'MessageCreatedV4' limit 1`,
      );
      const weigh = async (path: string) => {
        const response = await page.context().request.get(`${origin}${path}`);
        expect(response.status()).toBe(200);
        const document = (await response.body()).length;
        const assets = [...(await response.text()).matchAll(/(?:href|src)="(\/admin\/assets\/[^"]+)"/g)].map(
          (m) => m[1]!,
        );
        const size = async (a: string) => (await (await page.context().request.get(`${origin}${a}`)).body()).length;
        const sum = async (list: string[]) => (await Promise.all(list.map(size))).reduce((n, b) => n + b, 0);
        // The chart library (uPlot, on the overview only, cached for a year) is weighed on its own.
        const library = (a: string) => /\/assets\/uplot\./.test(a);
        return {
          document,
          assets: await sum(assets.filter((a) => !library(a))),
          chartLibrary: await sum(assets.filter(library)),
        };
      };
      const weights = { overview: await weigh('/admin'), event: await weigh(`/admin/events/${event!.id}`) };
      console.log(`console page weight on ${kind} (bytes, uncompressed): ${JSON.stringify(weights)}`);
      for (const w of Object.values(weights)) expect(w.document + w.assets).toBeLessThan(64 * 1024);
      expect(weights.event.chartLibrary).toBe(0);
      expect(weights.overview.chartLibrary).toBeGreaterThan(0);
      expect(weights.overview.chartLibrary).toBeLessThan(56 * 1024);
    });

    it('replays a dead event and shows it processed', async () => {
      const [message] = await h.rows<{ id: string }>(
        sql`select id from webhook_events where event_type = 'MessageCreatedV4' limit 1`,
      );
      // As if its last attempt had failed for good (a database error, a bug since fixed).
      await h.rows(sql`update webhook_events set status = 'dead', attempts = 8, last_error = 'simulated: upsert failed', processed_at = null
      where id = ${message!.id}::uuid`);
      await page.goto(`${origin}/admin/events/${message!.id}`);
      expect(await page.textContent('.badge')).toBe('dead');
      expect(await page.textContent('dl.facts')).toContain('simulated: upsert failed');
      await shot('event-dead');
      await page.click('text=Replay this event');
      expect(await page.textContent('.notice')).toContain('Queued for replay');
      await waitFor('the replayed event to be processed', async () => (await status(message!.id)) === 'processed');
      await page.reload();
      expect(await page.textContent('.badge')).toBe('processed');
      expect(await page.textContent('body')).not.toContain('simulated: upsert failed');
      await shot('event-replayed');
    });

    it('replays every dead event after confirming, with their count', async () => {
      const ids = (
        await h.rows<{ id: string }>(
          sql`select id from webhook_events where provider <> 'jobber' and status = 'processed' order by received_at limit 3`,
        )
      ).map((r) => r.id);
      expect(ids).toHaveLength(3);
      for (const id of ids) {
        await h.rows(
          sql`update webhook_events set status = 'dead', last_error = 'simulated: provider outage' where id = ${id}::uuid`,
        );
      }
      await page.click('nav >> text=Dead letters');
      expect(await page.textContent('#dead-count')).toBe('3');
      await shot('dead');
      // Cancelling the dialog sends nothing; accepting it replays all three.
      page.once('dialog', (dialog) => {
        expect(dialog.message()).toBe('Replay all 3 dead events? Each is processed again from its stored bytes.');
        void dialog.dismiss();
      });
      await page.click('text=Replay all 3');
      expect(await page.textContent('#dead-count')).toBe('3');
      page.once('dialog', (dialog) => void dialog.accept());
      await page.click('text=Replay all 3');
      await page.waitForURL(/\/admin\/dead\?replayed=3$/);
      expect(await page.textContent('.notice')).toBe('Queued 3 dead events for replay.');
      await waitFor('the replays', async () => {
        const statuses = await Promise.all(ids.map(status));
        return statuses.every((s) => s === 'processed' || s === 'ignored');
      });
      await page.reload();
      expect(await page.textContent('#dead-count')).toBe('0');
      await shot('dead-replayed');
    });

    it("shows each provider's setup and the URL to paste", async () => {
      await page.click('nav >> text=Providers');
      const text = await page.textContent('table');
      for (const name of ['twilio', 'resend', 'jobber', 'thumbtack'])
        expect(text).toContain(`https://hooks.example.com/webhooks/${name}`);
      await shot('providers');
    });

    it('manages Thumbtack webhooks through the fake Thumbtack API: create, disable, delete with a confirmation', async () => {
      await page.click('nav >> text=Thumbtack webhooks');
      await page.fill('input[name=business]', BUSINESS);
      await page.click('text=Show webhooks');
      expect(await page.textContent('main')).toContain('No webhooks');
      await page.click('text=Create webhook');
      expect(await page.textContent('.notice')).toMatch(/^Created webhook \d+\.$/);
      const [created] = [...fake.webhooks.values()];
      expect(created).toMatchObject({
        webhookURL: 'https://hooks.example.com/webhooks/thumbtack',
        enabled: true,
        businessID: BUSINESS,
      });
      expect(created!.eventTypes).toEqual(['NegotiationCreatedV4', 'MessageCreatedV4', 'ReviewCreatedV4']);
      expect(await page.textContent(`tr[data-webhook="${created!.webhookID}"]`)).toContain('enabled');
      await shot('thumbtack-webhooks');

      await page.click(`tr[data-webhook="${created!.webhookID}"] >> text=Disable`);
      expect(await page.textContent('.notice')).toBe(`Webhook ${created!.webhookID} disabled.`);
      expect(fake.webhooks.get(created!.webhookID)!.enabled).toBe(false);
      expect(await page.textContent(`tr[data-webhook="${created!.webhookID}"] .badge`)).toBe('disabled');

      page.once('dialog', (dialog) => void dialog.dismiss());
      await page.click(`tr[data-webhook="${created!.webhookID}"] >> text=Delete`);
      expect(fake.webhooks.has(created!.webhookID)).toBe(true);
      page.once('dialog', (dialog) => {
        expect(dialog.message()).toContain(`Delete Thumbtack webhook ${created!.webhookID}`);
        void dialog.accept();
      });
      await page.click(`tr[data-webhook="${created!.webhookID}"] >> text=Delete`);
      expect(await page.textContent('.notice')).toBe(`Deleted webhook ${created!.webhookID}.`);
      expect(fake.webhooks.size).toBe(0);
      await shot('thumbtack-deleted');
    });

    it('asks on a page of its own when JavaScript does not', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
      const plain = await context.newPage();
      await context.addCookies(await page.context().cookies());
      await h.rows(
        sql`update webhook_events set status = 'dead' where id = (select id from webhook_events where provider = 'twilio' limit 1)`,
      );
      // The business figures read as tables, open, where no script draws the charts.
      await plain.goto(`${origin}/admin`);
      expect(await plain.locator('.charts details[open] table').count()).toBe(3);
      expect(await plain.locator('.charts canvas').count()).toBe(0);
      await plain.screenshot({ path: join(SCREENSHOTS, `${kind}-overview-no-js.png`), fullPage: true });
      await plain.goto(`${origin}/admin/dead`);
      await plain.click('text=Replay all 1');
      expect(await plain.textContent('h1')).toBe('Please confirm');
      await plain.screenshot({ path: join(SCREENSHOTS, `${kind}-confirm.png`), fullPage: true });
      await plain.click('text=Yes, go ahead');
      expect(await plain.textContent('.notice')).toBe('Queued 1 dead event for replay.');
      await context.close();
    });

    it('shows Jobber accounts with their sync state and a connect button that reaches Jobber', async () => {
      const body = JSON.parse(readJobberWebhook('CLIENT_CREATE')) as { data: { webHookEvent: { accountId: string } } };
      await storeConnection(
        h.config,
        h.runtime.database.db,
        body.data.webHookEvent.accountId,
        'Whitfield Gutters & Eaves',
        {
          accessToken: 'browser-test-not-a-real-token',
          refreshToken: null,
          expiresAt: new Date(Date.now() + 3600_000),
        },
      );
      await page.click('nav >> text=Jobber accounts');
      const table = await page.textContent('table');
      expect(table).toContain('Whitfield Gutters & Eaves');
      expect(await page.textContent('main')).not.toContain('browser-test-not-a-real-token');
      await shot('jobber-accounts');
      // Jobber itself is not called: the browser's request to its consent page is answered here.
      await page.route('https://api.getjobber.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/plain', body: 'Jobber consent page' }),
      );
      await page.click('text=Connect a Jobber account');
      await page.waitForURL(/^https:\/\/api\.getjobber\.com\//);
      expect(page.url()).toMatch(
        /^https:\/\/api\.getjobber\.com\/api\/oauth\/authorize\?response_type=code&client_id=console-browser-client/,
      );
    });

    it('creates a subscription, sends a test and sees its delivery', async () => {
      const receiver = new Receiver();
      const url = await receiver.start();
      try {
        await page.goto(`${origin}/admin/subscriptions`);
        // Signed in by the tests above; run alone (-t), it signs in here.
        if (page.url().includes('/admin/sign-in')) {
          await page.fill('input[name=token]', ADMIN_TOKEN);
          await page.click('button[type=submit]');
        }
        expect(await page.textContent('h1')).toBe('Subscriptions');
        await page.fill('input[name=url]', url);
        await page.fill('input[name=eventTypes]', 'lead.created, invoice.*');
        await page.fill('input[name=description]', 'CRM sync (staging)');
        await page.click('text=Create subscription');
        const secret = (await page.textContent('#secret pre.secret-value'))!;
        expect(secret).toMatch(/^whsec_/);
        registerSecret('subscription secret', secret);
        expect(await page.textContent('#secret')).toContain('Store it now');
        await shot('subscription-created');
        await page.click('text=Send test');
        expect(await page.textContent('#test-result')).toMatch(
          /^Test delivered: the receiver answered 200 in \d+ ms\.$/,
        );
        expect(receiver.received).toHaveLength(1);
        const row = page.locator('table.deliveries tbody tr').first();
        expect(await row.textContent()).toContain('webhook.test');
        expect(await row.locator('.badge').textContent()).toBe('succeeded');
        // The page as a GET shows the delivery, never the secret.
        await page.reload();
        expect(await page.textContent('main')).not.toContain(secret);
        expect(await page.locator('table.deliveries tbody tr').count()).toBe(1);
        await shot('subscription');
        await page.click('nav >> text=Subscriptions');
        expect(await page.textContent('table')).toContain('CRM sync (staging)');
        await shot('subscriptions');
      } finally {
        await receiver.close();
      }
    });

    it('shows the audit log: what the tests above did, newest first, no secret', async () => {
      await page.goto(`${origin}/admin`);
      if (page.url().includes('/admin/sign-in')) {
        await page.fill('input[name=token]', ADMIN_TOKEN);
        await page.click('button[type=submit]');
      }
      await page.click('nav >> text=Audit log');
      expect(await page.textContent('h1')).toBe('Audit log');
      const actions = await page.locator('table tbody tr td:nth-child(4)').allTextContents();
      expect(actions).toEqual(
        expect.arrayContaining(['operator.sign_in', 'subscription.create', 'event.replay', 'thumbtack.webhook_delete']),
      );
      expect(await page.textContent('main')).not.toContain(ADMIN_TOKEN);
      await shot('audit');
    });

    it('signs out: the pages are refused again', async () => {
      await page.goto(`${origin}/admin`);
      await page.click('text=Sign out');
      expect(page.url()).toBe(`${origin}/admin/sign-in`);
      await page.goto(`${origin}/admin/dead`);
      expect(page.url()).toContain('/admin/sign-in');
    });
  },
);

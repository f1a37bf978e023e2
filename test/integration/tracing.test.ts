import { randomBytes } from 'node:crypto';
import { createPostgresDatabase, postgresServerUrl, TEST_SECRETS } from '../helpers/harness';
import { freePort } from '../helpers/postgres';
import { registerSecret } from '../helpers/log-capture';
import { OtlpReceiver, type ExportedSpan } from '../helpers/otlp-receiver';
import { startServer, type ServerProcess } from '../helpers/processes';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { emailEvent, emailId, resendDelivery } from '../helpers/webhooks';
import { waitFor } from '../helpers/wait';

/**
 * `npm start`'s process with an OTLP endpoint set, exporting to a local OTLP/HTTP receiver in each
 * of the two encodings: one trace per webhook, from the request through the worker to the
 * subscriber, whose request carries that trace's traceparent.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
registerSecret('admin token', ADMIN_TOKEN);

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function sendEmailWebhook(server: ServerProcess) {
  const id = emailId();
  const delivery = resendDelivery(emailEvent('email.delivered', id));
  const res = await fetch(`http://127.0.0.1:${server.port}/webhooks/resend`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  expect(res.status).toBe(200);
  return { emailId: id, delivery, inboxId: ((await res.json()) as { id: string }).id };
}

/** A subscription of `server` to `eventTypes`, delivering to `subscriber`; returns its signing secret. */
async function subscribe(server: ServerProcess, subscriber: Receiver, eventTypes: string[]): Promise<string> {
  const created = await call(server, 'POST', '/admin/api/subscriptions', { url: subscriber.url(), eventTypes });
  expect(created.status).toBe(201);
  const secret = String(created.json.secret);
  registerSecret('subscription secret', secret);
  return secret;
}

const deliveriesReceived = (subscriber: Receiver, count: number) =>
  waitFor(
    async () => subscriber.received.length,
    (n) => n >= count,
    20_000,
  );

/** `npm start`'s process on an embedded database, taking Resend webhooks and delivering locally. */
const startTracedServer = (otel: Record<string, string>) =>
  startServer({
    DATA_DIR: 'memory://',
    RESEND_WEBHOOK_SECRET: TEST_SECRETS.resendSecret,
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    ...otel,
  });

const byName = (spans: ExportedSpan[], traceId: string, kind: number) =>
  spans.filter((s) => s.traceId === traceId && s.kind === kind);

/** Every attribute value, resource included, as text: none may hold a secret, a signature or a body. */
function attributeTexts(spans: ExportedSpan[]): string[] {
  return spans.flatMap((s) => [...Object.values(s.attributes), ...Object.values(s.resource)].map(String));
}

describe.each([
  { protocol: 'http/json', contentType: 'application/json', database: 'pglite' },
  { protocol: 'http/protobuf', contentType: 'application/x-protobuf', database: 'postgres' },
] as const)('tracing over $protocol ($database)', ({ protocol, contentType, database }) => {
  const collector = new OtlpReceiver();
  const subscriber = new Receiver();
  const processes: ServerProcess[] = [];
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const endpoint = await collector.start();
    await subscriber.start();
    let databaseEnv: Record<string, string> = { DATA_DIR: 'memory://' };
    if (database === 'postgres') {
      // Without a PostgreSQL server the suite runs PGlite only; so does this case.
      const serverUrl = postgresServerUrl();
      if (serverUrl) {
        const created = await createPostgresDatabase(serverUrl);
        dropDatabase = created.drop;
        databaseEnv = { DATABASE_URL: created.url };
      }
    }
    env = {
      ...databaseEnv,
      RESEND_WEBHOOK_SECRET: TEST_SECRETS.resendSecret,
      ADMIN_TOKEN,
      DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      // Export within 100 ms instead of the SDK's 5 s, so the test need not wait.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...(protocol === 'http/json' ? { OTEL_SERVICE_NAME: 'hookport-east' } : {}),
    };
    processes.push(await startServer(env));
  }, 120_000);
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await collector.close();
    await subscriber.close();
    await dropDatabase?.();
  });

  it('follows one webhook from its request through the worker to the subscriber', async () => {
    const [server] = processes;
    const secret = await subscribe(server!, subscriber, ['email.*']);

    const sent = await sendEmailWebhook(server!);
    await deliveriesReceived(subscriber, 1);
    const delivered = subscriber.received[0]!;
    // The subscriber verifies it as usual, and reads the trace it belongs to.
    verifyDelivery(secret, delivered);
    const traceparent = delivered.headers.traceparent;
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, traceId, parentId] = traceparent!.split('-');

    const spans = await waitFor(
      async () => collector.spans.filter((s) => s.traceId === traceId),
      (found) => found.some((s) => s.kind === CLIENT) && found.some((s) => s.kind === CONSUMER),
      20_000,
    );
    const [request] = byName(spans, traceId!, SERVER);
    const [processing] = byName(spans, traceId!, CONSUMER);
    const [attempt] = byName(spans, traceId!, CLIENT);
    expect(request).toMatchObject({
      name: 'POST /webhooks/:provider',
      parentSpanId: '',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/webhooks/:provider',
        'http.response.status_code': 200,
        'hookport.provider': 'resend',
        'hookport.outcome': 'stored',
        'hookport.event_type': 'email.delivered',
        'hookport.webhook_event.id': sent.inboxId,
      },
    });
    // The worker's processing continues the request's trace, from the context kept with the inbox row.
    expect(processing).toMatchObject({
      parentSpanId: request!.spanId,
      attributes: { 'hookport.webhook_event.id': sent.inboxId, 'hookport.outcome': 'processed' },
    });
    // The attempt is the span the subscriber's traceparent names.
    expect(attempt).toMatchObject({
      spanId: parentId,
      parentSpanId: request!.spanId,
      name: 'POST',
      attributes: {
        'server.address': '127.0.0.1',
        'http.response.status_code': 200,
        'hookport.webhook.id': delivered.headers['webhook-id'],
        'hookport.attempt': 1,
      },
    });
    expect(request!.resource['service.name']).toBe(protocol === 'http/json' ? 'hookport-east' : 'hookport');
    expect(collector.contentTypes.every((t) => t.startsWith(contentType))).toBe(true);

    // No span says anything secret, signed or sent: not the provider's secret or signature, the
    // subscription's secret, the operator's token, nor anything of the body.
    const texts = attributeTexts(collector.spans);
    const forbidden = [
      TEST_SECRETS.resendSecret,
      secret,
      ADMIN_TOKEN,
      sent.delivery.headers['svix-signature']!,
      delivered.headers['webhook-signature']!,
      sent.emailId,
    ];
    for (const value of forbidden) expect(texts.filter((t) => t.includes(value))).toEqual([]);

    // The log lines of that webhook carry its trace id: the request's, the worker's and the delivery's.
    const lines = server!.lines.filter((l) => l.trace_id === traceId).map((l) => l.message);
    expect(lines).toEqual(expect.arrayContaining(['webhook', 'event processed', 'delivery succeeded']));

    // A path that names no provider: answered 404 and traced under the metrics' bounded name,
    // never the segment the sender chose.
    const chosen = `no-such-${randomBytes(6).toString('hex')}`;
    const refused = await fetch(`http://127.0.0.1:${server!.port}/webhooks/${chosen}`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(404);
    const [unknown] = await waitFor(
      async () =>
        collector.spans.filter((s) => s.kind === SERVER && s.attributes['hookport.outcome'] === 'unknown_provider'),
      (found) => found.length === 1,
      20_000,
    );
    expect(unknown!.attributes).toMatchObject({ 'hookport.provider': 'unknown', 'http.response.status_code': 404 });
    expect(attributeTexts([unknown!]).filter((t) => t.includes(chosen))).toEqual([]);
  }, 60_000);

  // Events stored while no worker runs are claimed together later: one transaction applies them,
  // and its span links each event's processing span, which stays in its own request's trace.
  const batchCase = database === 'postgres' && postgresServerUrl() ? it : it.skip;
  batchCase(
    'links the processing of a batch to every webhook in it',
    async () => {
      const second = await createPostgresDatabase();
      try {
        const shared = { ...env, DATABASE_URL: second.url };
        const receiving = await startServer({ ...shared, WORKER_ENABLED: 'false' });
        processes.push(receiving);
        const sent: { inboxId: string }[] = [];
        for (let i = 0; i < 3; i++) sent.push(await sendEmailWebhook(receiving));
        const requests = await waitFor(
          async () =>
            collector.spans.filter(
              (s) => s.kind === SERVER && sent.some((e) => s.attributes['hookport.webhook_event.id'] === e.inboxId),
            ),
          (found) => found.length === 3,
          20_000,
        );
        const working = await startServer(shared);
        processes.push(working);
        const processing = await waitFor(
          async () =>
            collector.spans.filter((s) => s.kind === CONSUMER && requests.some((r) => r.spanId === s.parentSpanId)),
          (found) => found.length === 3,
          20_000,
        );
        for (const p of processing) {
          const request = requests.find((r) => r.spanId === p.parentSpanId)!;
          expect(p.traceId).toBe(request.traceId);
          expect(p.attributes).toMatchObject({ 'hookport.batch.size': 3, 'hookport.outcome': 'processed' });
        }
        const batch = await waitFor(
          async () => collector.spans.filter((s) => s.name === 'apply batch' && s.links.length === 3),
          (found) => found.length === 1,
          20_000,
        );
        expect(batch[0]!.links.map((l) => l.spanId).sort()).toEqual(processing.map((p) => p.spanId).sort());
        // The worker's line about each event carries that event's trace id, batch or not.
        const processedLines = await waitFor(
          async () => working.lines.filter((l) => l.message === 'event processed'),
          (found) => found.length === 3,
          10_000,
        );
        expect(processedLines.map((l) => l.trace_id).sort()).toEqual(requests.map((r) => r.traceId).sort());
      } finally {
        for (const p of processes.splice(1)) p.child.kill('SIGKILL');
        await second.drop();
      }
    },
    90_000,
  );
});

describe('tracing with every trace sampled out', () => {
  const collector = new OtlpReceiver();
  const subscriber = new Receiver();
  let server: ServerProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await collector.close();
    await subscriber.close();
  });

  it('still tells the subscriber the trace, marked not sampled, and exports nothing', async () => {
    const endpoint = await collector.start();
    await subscriber.start();
    server = await startTracedServer({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'always_off',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await subscribe(server, subscriber, ['*']);
    await sendEmailWebhook(server);
    await deliveriesReceived(subscriber, 1);
    expect(subscriber.received[0]!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    // Past the exporter's schedule: had anything been recorded, it would be here by now.
    await new Promise((r) => setTimeout(r, 500));
    expect(collector.spans).toEqual([]);
  }, 60_000);
});

describe('tracing with its collector down', () => {
  const subscriber = new Receiver();
  let server: ServerProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await subscriber.close();
  });

  it('still acknowledges, processes and delivers every webhook', async () => {
    await subscriber.start();
    server = await startTracedServer({
      // Nothing listens there: every export fails.
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    await subscribe(server, subscriber, ['email.*']);
    for (let i = 0; i < 5; i++) await sendEmailWebhook(server);
    await deliveriesReceived(subscriber, 5);
    expect(subscriber.received.every((r) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(r.headers.traceparent!))).toBe(
      true,
    );
    // Past several failed exports, the process is still up and answering.
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`http://127.0.0.1:${server.port}/health/live`)).status).toBe(200);
  }, 60_000);
});

import express from 'express';
import { Pool } from 'pg';
import { Webhook } from 'svix';

/**
 * The second baseline (phase i): what a receiver without Hookport typically does. Each Resend event
 * is verified with the svix library and its email upserted into an `emails` table inside the request,
 * in a transaction of its own (one statement, committed before the answer), on a pg Pool of the
 * default size (10). An older event never overwrites a newer one. Started by bench/run.ts with PORT,
 * DATABASE_URL and RESEND_WEBHOOK_SECRET; creates its own table.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const webhook = new Webhook(process.env.RESEND_WEBHOOK_SECRET!);

const SCHEMA = `
  create table if not exists emails (
    email_id text primary key,
    status text not null,
    from_address text,
    to_addresses text[],
    subject text,
    event_at timestamptz not null,
    updated_at timestamptz not null default now()
  )`;

const UPSERT = `
  insert into emails (email_id, status, from_address, to_addresses, subject, event_at)
  values ($1, $2, $3, $4, $5, $6)
  on conflict (email_id) do update set
    status = excluded.status, from_address = excluded.from_address, to_addresses = excluded.to_addresses,
    subject = excluded.subject, event_at = excluded.event_at, updated_at = now()
  where emails.event_at <= excluded.event_at`;

interface ResendEmailEvent {
  type: string;
  created_at: string;
  data: { email_id: string; from?: string; to?: string | string[]; subject?: string };
}

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.post('/webhooks/resend', express.raw({ type: () => true, limit: 1024 * 1024 }), async (req, res) => {
  let event: ResendEmailEvent;
  try {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    event = webhook.verify(body, req.headers as Record<string, string>) as ResendEmailEvent;
  } catch {
    res.status(401).json({ error: 'invalid signature' });
    return;
  }
  try {
    const { data } = event;
    const to = data.to === undefined ? null : Array.isArray(data.to) ? data.to : [data.to];
    await pool.query(UPSERT, [
      data.email_id,
      event.type.replace(/^email\./, ''),
      data.from ?? null,
      to,
      data.subject ?? null,
      event.created_at,
    ]);
    res.status(200).json({ received: true });
  } catch {
    res.status(503).json({ error: 'database unavailable' });
  }
});
app.get('/health/live', (_req, res) => {
  res.json({ status: 'ok' });
});

void pool.query(SCHEMA).then(
  () => {
    const server = app.listen(Number(process.env.PORT), '127.0.0.1');
    process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
  },
  (err: unknown) => {
    process.stderr.write(`upsert baseline: could not create its table: ${String(err)}\n`);
    process.exit(1);
  },
);

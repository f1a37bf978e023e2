import express from 'express';

/**
 * The baseline: an Express route that only reads a raw body and answers 200, on the same kind of
 * process and port setup as Hookport. Started by bench/run.ts; PORT from the env. BARE_ETAG=off
 * turns off Express's default ETag (as Hookport does), for the stricter of the two baselines.
 */
const app = express();
app.disable('x-powered-by');
if (process.env.BARE_ETAG === 'off') app.set('etag', false);
app.post('/webhooks/:provider', express.raw({ type: () => true, limit: 1024 * 1024 }), (req, res) => {
  res.status(200).json({ received: true, bytes: Buffer.isBuffer(req.body) ? req.body.length : 0 });
});
app.get('/health/live', (_req, res) => {
  res.json({ status: 'ok' });
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

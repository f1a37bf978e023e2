import { PROVIDER_TEST_ENV } from '../../test/helpers/test-secrets';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/client';
import { loadConfig } from '../../test/helpers/config';
import { createLogger } from '../../src/log/logger';
import { FakeJobber } from '../../test/fakes/jobber';
import { TEST_SECRETS } from '../../test/helpers/harness';
import { freePort, startPostgres, type ThrowawayPostgres } from '../../test/helpers/postgres';
import { createDatabase, waitUntilSettled } from '../database';
import { deliveries } from './deliveries';
import { linkFixturesIntoDist } from './fixtures';
import { Gateway } from './gateway';
import { checkInbox } from './inbox';
import { churnJobberTokens, tokenRefreshUnderWay } from './jobber';
import { formatFaults, formatFigures, type Fault } from './report';
import { Traffic } from './traffic';

/**
 * npm run chaos: the real gateway as a child process on a durable throwaway PostgreSQL, signed
 * webhooks from all four providers at a steady rate, and, several times in one run, the gateway
 * killed with SIGKILL and restarted, and PostgreSQL stopped immediately and started again. Then:
 * every acknowledged delivery stored and settled, and the gateway never exited on its own.
 * Loopback only; bounded in time. Exit code 1 when anything was lost or stuck or the gateway died.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const settings = {
  rate: env('CHAOS_RATE', 40),
  rounds: env('CHAOS_ROUNDS', 3),
  steadyMs: env('CHAOS_STEADY_SECONDS', 12) * 1000,
  gatewayDownMs: env('CHAOS_GATEWAY_DOWN_SECONDS', 2) * 1000,
  databaseDownMs: env('CHAOS_DATABASE_DOWN_SECONDS', 5) * 1000,
  drainMs: env('CHAOS_DRAIN_SECONDS', 120) * 1000,
};
const HARD_LIMIT_MS = 8 * 60_000;
const DIST = path.resolve(__dirname, '..', '..');
const say = (text: string) => process.stdout.write(`chaos: ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pg: ThrowawayPostgres | undefined;
let gateway: Gateway | undefined;
let fake: FakeJobber | undefined;
let parentDb: Database | undefined;

async function cleanup(): Promise<void> {
  await gateway?.stop(3000).catch(() => undefined);
  await parentDb?.close().catch(() => undefined);
  await fake?.stop().catch(() => undefined);
  try {
    pg?.destroy();
  } catch (err) {
    process.stderr.write(`chaos: could not stop PostgreSQL: ${(err as Error).message}\n`);
  }
  pg = undefined;
}

/** Starts the gateway again; a start that fails (it exited, recorded as unexpected) is tried twice more. */
async function restart(g: Gateway): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await g.start();
    } catch (err) {
      say(`gateway did not start (${(err as Error).message})${attempt < 3 ? '; trying again' : ''}`);
      if (attempt >= 3) throw err;
      await sleep(1000);
    }
  }
}

/** Secrets at rest are sealed through the faults too. */
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

/**
 * The gateway's settings: every provider configured, Jobber pointed at the fake, the worker on with a short lease,
 * secrets sealed.
 */
const gatewayEnv = (databaseUrl: string, jobber: FakeJobber): Record<string, string> => ({
  HOST: '127.0.0.1',
  HOOKPORT_ENCRYPTION_KEY: ENCRYPTION_KEY,
  DATABASE_URL: databaseUrl,
  ...PROVIDER_TEST_ENV,
  ...jobber.env(),
  WORKER_ENABLED: 'true',
  WORKER_LEASE_SECONDS: '15',
  WORKER_RETRY_BASE_MS: '1000',
  LOG_LEVEL: 'info',
});

/** The faults, round after round, each followed by steady traffic. */
async function injectFaults(g: Gateway, server: ThrowawayPostgres, jobber: FakeJobber): Promise<Fault[]> {
  const faults: Fault[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    say(`round ${round}: kill -9 the gateway`);
    const killedAt = Date.now();
    await g.kill();
    await sleep(settings.gatewayDownMs);
    const restartedAt = Date.now();
    await restart(g);
    faults.push({ name: `${round}a kill -9 gateway`, startedAt: killedAt, repairedAt: restartedAt });
    await sleep(settings.steadyMs);

    // The worst moment: while a Jobber token refresh holds a transaction open (defect 1 of issue 7).
    const midTransaction = await tokenRefreshUnderWay(jobber, 10_000);
    say(`round ${round}: stop PostgreSQL immediately${midTransaction ? ', during a Jobber token refresh' : ''}`);
    const stoppedAt = Date.now();
    server.stop('immediate');
    await sleep(settings.databaseDownMs);
    const startedAgainAt = Date.now();
    server.start();
    const name = `${round}b PostgreSQL immediate stop${midTransaction ? ' (mid-transaction)' : ''}`;
    faults.push({ name, startedAt: stoppedAt, repairedAt: startedAgainAt });
    await sleep(settings.steadyMs);
  }
  return faults;
}

async function main(): Promise<number> {
  linkFixturesIntoDist(DIST);
  say(`rate ${settings.rate}/s, ${settings.rounds} rounds of (kill -9 the gateway, stop PostgreSQL immediately)`);
  say('starting PostgreSQL (durable settings)');
  pg = await startPostgres({ durable: true });
  const databaseUrl = await createDatabase(pg.url, 'hookport_chaos');
  fake = await new FakeJobber(TEST_SECRETS.jobberClientSecret).start();
  const logPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'hookport-chaos-')), 'gateway.log');
  const g = (gateway = new Gateway(
    path.join(DIST, 'src', 'server.js'),
    await freePort(),
    gatewayEnv(databaseUrl, fake),
    logPath,
  ));
  say(`starting the gateway on 127.0.0.1:${g.port} (log: ${logPath})`);
  await g.start(); // applies the migrations
  // A gateway that dies is a failure of the run; start it again, as a supervisor would, so the rest
  // of the run still tells what else breaks.
  g.onCrash = () => {
    say('the gateway exited on its own; starting it again');
    void restart(g).catch(() => say('the gateway could not be started again'));
  };
  parentDb = await openDatabase({
    databaseUrl,
    dataDir: '',
    poolSize: 2,
    timeoutMs: 1000,
    logger: createLogger('error', true),
  });
  const stopChurn = await churnJobberTokens(fake, loadConfig(gatewayEnv(databaseUrl, fake)), parentDb.db);

  const traffic = new Traffic(g.port, deliveries(), settings.rate);
  const started = Date.now();
  traffic.start();
  await sleep(settings.steadyMs);
  const faults = await injectFaults(g, pg, fake);
  say(`no new deliveries; retrying the ${traffic.unacknowledged} not yet acknowledged`);
  const allAcknowledged = await traffic.finish(60_000);
  const trafficSeconds = (Date.now() - started) / 1000;
  stopChurn();
  say('waiting for the queue to drain');
  const drainStarted = Date.now();
  const drained = await waitUntilSettled(databaseUrl, settings.drainMs);
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  const inbox = await checkInbox(databaseUrl, traffic.acks);
  const unexpected = g.exits.filter((e) => !e.expected);
  const shutdownCode = await g.stop();

  for (const fault of faults) fault.firstAckAt = traffic.acks.find((a) => a.sentAt >= fault.startedAt)?.answeredAt;
  const jobberTokenRefreshes = fake.count('token');
  process.stdout.write(`\n${formatFaults(faults)}\n\n`);
  process.stdout.write(
    `${formatFigures({ traffic, trafficSeconds, allAcknowledged, drained, drainSeconds, inbox, unexpected, shutdownCode, jobberTokenRefreshes })}\n\n`,
  );
  for (const exit of unexpected) say(`the gateway exited on its own: code ${exit.code}, signal ${exit.signal}`);
  if (unexpected.length > 0) say(`last lines of its log:\n${g.logTail()}`);
  for (const s of inbox.stuck.slice(0, 10)) say(`stuck: ${s.provider} ${s.id} ${s.status} ${s.lastError ?? ''}`);
  for (const l of inbox.lost.slice(0, 10)) say(`lost: ${l.provider} ${l.id ?? ''} sha256 ${l.bodySha256}`);
  for (const o of traffic.others) say(`unexpected answer: ${o}`);
  const failed = inbox.lost.length > 0 || inbox.stuck.length > 0 || unexpected.length > 0 || !drained;
  say(failed ? 'FAILED' : 'passed: nothing lost, nothing stuck, no unexpected exit');
  return failed ? 1 : 0;
}

const limit = setTimeout(() => {
  process.stderr.write(`chaos: hard limit of ${HARD_LIMIT_MS / 60_000} minutes reached\n`);
  void cleanup().finally(() => process.exit(1));
}, HARD_LIMIT_MS);
limit.unref();

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    await cleanup();
    process.exit(1);
  });

import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AdminRoute,
  errorAnswerSchema,
  HookportError,
  NotFoundError,
  type ProviderDeps,
  queryRows,
  route,
  audited,
} from '../../../src/provider';
import { lastRunsOfAccounts, latestRuns, requestImport, runById, type JobberRun } from './runs';

const iso = z.iso.datetime({ offset: true });
const familyProgress = z.object({ fetched: z.number().int(), total: z.number().int().nullable() });

export const runSchema = z
  .object({
    id: z.uuid(),
    accountId: z.string(),
    kind: z.enum(['import', 'reconcile']),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    since: iso.nullable().describe('reconciliation: records updated after this time'),
    family: z.enum(['client', 'job', 'invoice']).nullable().describe('the family being paged'),
    fetched: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    progress: z.object({
      client: familyProgress.optional(),
      job: familyProgress.optional(),
      invoice: familyProgress.optional(),
    }),
    pages: z.number().int(),
    waits: z.number().int().describe("pauses for Jobber's query-cost bucket"),
    waitedMs: z.number().int(),
    throttled: z.number().int().describe('queries Jobber throttled anyway'),
    attempts: z.number().int().describe('failed attempts in a row'),
    lastError: z.string().nullable(),
    createdAt: iso,
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
    nextAttemptAt: iso,
  })
  .meta({ id: 'JobberRun' });

const accountSchema = z
  .object({
    accountId: z.string(),
    name: z.string().nullable(),
    connectionState: z.string(),
    connected: z.boolean().describe('Hookport holds a token for it'),
    lastImport: runSchema.nullable(),
    lastReconcile: runSchema.nullable(),
  })
  .meta({ id: 'JobberAccount' });

const t = (d: Date | null) => (d ? d.toISOString() : null);

/** A run as the admin API shows it. */
export function runView(run: JobberRun): z.infer<typeof runSchema> {
  return {
    id: run.id,
    accountId: run.accountId,
    kind: run.kind,
    status: run.status,
    since: t(run.since),
    family: run.family as z.infer<typeof runSchema>['family'],
    fetched: run.fetched,
    changed: run.changed,
    unchanged: run.unchanged,
    failed: run.failed,
    progress: run.progress,
    pages: run.pages,
    waits: run.waits,
    waitedMs: run.waitedMs,
    throttled: run.throttled,
    attempts: run.attempts,
    lastError: run.lastError,
    createdAt: run.createdAt.toISOString(),
    startedAt: t(run.startedAt),
    finishedAt: t(run.finishedAt),
    nextAttemptAt: run.nextAttemptAt.toISOString(),
  };
}

const accountParams = z.object({ accountId: z.string().min(1).max(200) }).strict();
const runParams = z.object({ id: z.uuid() }).strict();
const runsQuery = z
  .object({
    account: z.string().min(1).max(200).optional(),
    kind: z.enum(['import', 'reconcile']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

interface AccountRow {
  account_id: string;
  name: string | null;
  connection_state: string;
  connected: boolean;
}

/** /admin/api/jobber/…: accounts with their import and reconciliation, the runs, and starting an import. */
export function jobberAdminRoutes({ db }: ProviderDeps): AdminRoute[] {
  return [
    route({
      method: 'get',
      path: '/accounts',
      summary: 'Jobber accounts, each with its latest import and reconciliation (fetched, changed, unchanged, failed)',
      responses: { 200: { description: 'the accounts', schema: z.object({ accounts: z.array(accountSchema) }) } },
      async handle() {
        const rows = await queryRows<AccountRow>(
          db,
          sql`select account_id, name, connection_state, access_token is not null as connected
            from jobber_accounts order by name nulls last, account_id`,
        );
        const last = await lastRunsOfAccounts(db);
        const view = (run: JobberRun | undefined) => (run ? runView(run) : null);
        const accounts = rows.map((a) => ({
          accountId: a.account_id,
          name: a.name,
          connectionState: a.connection_state,
          connected: a.connected,
          lastImport: view(last(a.account_id, 'import')),
          lastReconcile: view(last(a.account_id, 'reconcile')),
        }));
        return { status: 200, body: { accounts } };
      },
    }),
    route({
      method: 'post',
      path: '/accounts/:accountId/import',
      summary:
        'Queue an import of every client, job and invoice of a connected account (or find the one queued or running)',
      params: accountParams,
      responses: {
        202: {
          description: 'the import run',
          schema: z.object({
            run: runSchema,
            queued: z.boolean().describe('false: one was already queued or running'),
          }),
        },
        404: { description: 'no such account', schema: errorAnswerSchema },
        409: { description: 'the account is not connected', schema: errorAnswerSchema },
      },
      async handle({ params, by }) {
        const asked = await audited(
          db,
          (tx) => requestImport(tx, params.accountId),
          (a) => (a.outcome === 'queued' ? { by, action: 'jobber.import', target: params.accountId } : null),
        );
        if (asked.outcome === 'not_found') throw new NotFoundError('no Jobber account with that id has connected');
        if (asked.outcome === 'not_connected') {
          throw new HookportError(
            'not_connected',
            'the account has no access token: connect it at /oauth/jobber/connect',
          );
        }
        return {
          status: 202,
          body: { run: runView((await runById(db, asked.id))!), queued: asked.outcome === 'queued' },
        };
      },
    }),
    route({
      method: 'get',
      path: '/runs',
      summary: 'Imports and reconciliations, newest first',
      query: runsQuery,
      responses: { 200: { description: 'the runs', schema: z.object({ runs: z.array(runSchema) }) } },
      async handle({ query }) {
        const runs = await latestRuns(db, { accountId: query.account, kind: query.kind, limit: query.limit });
        return { status: 200, body: { runs: runs.map(runView) } };
      },
    }),
    route({
      method: 'get',
      path: '/runs/:id',
      summary: 'One import or reconciliation, with its progress',
      params: runParams,
      responses: {
        200: { description: 'the run', schema: runSchema },
        404: { description: 'no such run', schema: errorAnswerSchema },
      },
      async handle({ params }) {
        const run = await runById(db, params.id);
        if (!run) throw new NotFoundError('no Jobber run with that id');
        return { status: 200, body: runView(run) };
      },
    }),
  ];
}

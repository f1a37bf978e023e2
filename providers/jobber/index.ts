import { parseJsonBody, parseWithSchema, type Provider } from '../../src/provider';
import { JOBBER_AUDIT_ACTIONS } from './audit';
import { jobberRecordAppliers } from './records/appliers';
import { jobberEventTypes } from './webhook/event-types';
import type { JobberChange } from './records/changes';
import { identifyJobber } from './webhook/identify';
import { normalizeJobber } from './webhook/normalize';
import { jobberConsolePages } from './console';
import { CONNECT_PATH, jobberRoutes } from './oauth/routes';
import { jobberWebhookSchema, type JobberWebhook } from './webhook/schema';
import { syncCommand } from './sync/awaiting-rows';
import { importCommand } from './import/command';
import { jobberAdminRoutes } from './import/admin-routes';
import { JobberSyncRunner } from './import/runner';
import { createJobberPrecheck } from './webhook/precheck';
import { jobberSamples } from './webhook/samples';
import { jobberSettings } from './settings';
import { SIGNATURE_HEADER, createJobberVerifier } from './webhook/verify';
import { jobberRecordViews } from './records/views';
import { ACCESS_TOKEN, REFRESH_TOKEN } from './oauth/tokens';

export const jobberProvider: Provider<JobberWebhook, JobberChange['kind']> = {
  name: 'jobber',
  label: 'Jobber',
  settings: jobberSettings,
  requiredEnv: 'JOBBER_CLIENT_SECRET',
  credentialHeaders: [SIGNATURE_HEADER],
  createVerifier(config) {
    const { clientSecrets } = jobberSettings.of(config);
    return clientSecrets.length > 0 ? createJobberVerifier(clientSecrets) : null;
  },
  createPrecheck: createJobberPrecheck,
  identify: identifyJobber,
  eventTypes: jobberEventTypes,
  parse(body) {
    return parseWithSchema(jobberWebhookSchema, parseJsonBody(body));
  },
  normalize: normalizeJobber,
  records: jobberRecordAppliers,
  recordViews: jobberRecordViews,
  routes: jobberRoutes,
  operatorPaths: [CONNECT_PATH],
  sealedColumns: [ACCESS_TOKEN, REFRESH_TOKEN],
  consolePages: jobberConsolePages,
  auditActions: JOBBER_AUDIT_ACTIONS,
  commands: { sync: syncCommand, import: importCommand },
  adminRoutes: jobberAdminRoutes,
  // Imports and reconciliations: only once the app can fetch (its client id and secret are set).
  background(deps) {
    const { clientId, clientSecrets } = jobberSettings.of(deps.config);
    return clientId && clientSecrets.length > 0 ? new JobberSyncRunner(deps) : null;
  },
  samples: jobberSamples,
  needsPublicBaseUrl: 'the OAuth redirect URI is PUBLIC_BASE_URL + /oauth/jobber/callback',
};

import { parseJsonBody, parseWithSchema, type Provider } from '../../src/provider';
import { jobberRecordAppliers } from './appliers';
import { jobberEventTypes } from './event-types';
import type { JobberChange } from './changes';
import { identifyJobber } from './identify';
import { normalizeJobber } from './normalize';
import { jobberConsolePages } from './console';
import { CONNECT_PATH, jobberRoutes } from './routes';
import { jobberWebhookSchema, type JobberWebhook } from './schema';
import { syncCommand } from './sync';
import { importCommand } from './import-command';
import { jobberAdminRoutes } from './admin-routes';
import { JobberSyncRunner } from './sync-runner';
import { createJobberPrecheck } from './precheck';
import { jobberSamples } from './samples';
import { jobberSettings } from './settings';
import { SIGNATURE_HEADER, createJobberVerifier } from './verify';
import { jobberRecordViews } from './views';

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
  // Jobber sends ids only (topic, appId, accountId, itemId, occurredAt): a few hundred bytes.
  // 64 KiB is far above anything it sends.
  maxBodyBytes: 64 * 1024,
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
  consolePages: jobberConsolePages,
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

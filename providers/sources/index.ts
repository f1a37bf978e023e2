import { VerificationError, type Provider } from '../../src/provider';
import { sourceAdminRoutes } from './admin-routes';
import { sourceAuditActions } from './audit';
import { sourceCommands } from './commands';
import { sourceConsolePages } from './console';
import { sourceDirectory } from './directory';
import { sourceFamily } from './event-types';
import { parseSourceBody } from './parse';
import { sourceSettings } from './settings';
import { SECRETS } from './store';

/** The route without a source's name: never a webhook (each source verifies its own). */
const noSource = () => {
  throw new VerificationError('name the source: POST /webhooks/sources/<name>');
};

/**
 * Senders an operator adds at run time: each row of `sources` is an instance, received at
 * `/webhooks/sources/<name>`, verified by its own kind and secrets, stored as `source:<name>`.
 */
export const sourcesProvider: Provider<Record<string, unknown>> = {
  name: 'sources',
  label: 'Sources',
  settings: sourceSettings,
  requiredEnv: 'a source (POST /admin/api/sources)',
  credentialHeaders: [],
  // Sources take webhooks whenever one exists: each instance verifies with its own secrets.
  createVerifier: () => noSource,
  createPrecheck: () => noSource,
  identify: noSource,
  instances: { label: 'source', directory: sourceDirectory },
  eventTypes: [sourceFamily],
  parse: (body, headers) => parseSourceBody(body, headers),
  // The type was read on the request path (identify), so a deleted source's events still replay.
  normalize: (object, context) => ({ events: [{ type: context.eventType, occurredAt: null, object }] }),
  sealedColumns: [SECRETS],
  adminRoutes: sourceAdminRoutes,
  consolePages: sourceConsolePages,
  auditActions: sourceAuditActions,
  commands: sourceCommands,
};

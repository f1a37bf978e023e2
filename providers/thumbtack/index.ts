import { z } from 'zod';
import { THUMBTACK_AUDIT_ACTIONS } from './audit';
import { parseJsonBody, parseWithSchema, type Provider } from '../../src/provider';
import { thumbtackRecordAppliers } from './appliers';
import type { ThumbtackChange } from './changes';
import { thumbtackAdminRoutes } from './admin-routes';
import { thumbtackCommands } from './commands';
import { thumbtackConsolePages } from './console';
import { thumbtackEventTypes } from './event-types';
import { thumbtackFigures } from './figures';
import { identifyThumbtack } from './identify';
import { normalizeThumbtack } from './normalize';
import { envelopeSchema, type ThumbtackPayload } from './schema';
import { createThumbtackPrecheck } from './precheck';
import { CONNECT_PATH, thumbtackRoutes } from './oauth/routes';
import { ACCESS_TOKEN, REFRESH_TOKEN } from './oauth/tokens';
import { thumbtackSamples } from './samples';
import { setupCheckLines } from './setup';
import { thumbtackSettings } from './settings';
import { AUTHORIZATION_HEADER, createThumbtackVerifier } from './verify';
import { thumbtackRecordViews } from './views';

const jsonObject = z.record(z.string(), z.unknown());

/** v4 when `event.eventType` is a string; any other JSON object is the deprecated v2 shape. */
function parseThumbtack(body: Buffer): ThumbtackPayload {
  const root = parseWithSchema(jsonObject, parseJsonBody(body));
  const event = root.event;
  const v4 =
    event !== null && typeof event === 'object' && typeof (event as { eventType?: unknown }).eventType === 'string';
  return v4 ? { version: 4, envelope: parseWithSchema(envelopeSchema, root) } : { version: 2 };
}

export const thumbtackProvider: Provider<ThumbtackPayload, ThumbtackChange['kind']> = {
  name: 'thumbtack',
  label: 'Thumbtack',
  settings: thumbtackSettings,
  requiredEnv: 'THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD',
  credentialHeaders: [AUTHORIZATION_HEADER],
  createVerifier(config) {
    const { username, password } = thumbtackSettings.of(config);
    return username && password ? createThumbtackVerifier(username, password) : null;
  },
  createPrecheck: createThumbtackPrecheck,
  identify: identifyThumbtack,
  eventTypes: thumbtackEventTypes,
  parse: (body) => parseThumbtack(body),
  normalize: (payload) => normalizeThumbtack(payload),
  records: thumbtackRecordAppliers,
  recordViews: thumbtackRecordViews,
  commands: thumbtackCommands,
  samples: thumbtackSamples,
  consolePages: thumbtackConsolePages,
  auditActions: THUMBTACK_AUDIT_ACTIONS,
  adminRoutes: thumbtackAdminRoutes,
  routes: thumbtackRoutes,
  operatorPaths: [CONNECT_PATH],
  sealedColumns: [ACCESS_TOKEN, REFRESH_TOKEN],
  setupCheck: ({ config, db }) => setupCheckLines(config, db),
  figures: thumbtackFigures,
};

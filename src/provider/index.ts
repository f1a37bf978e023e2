/**
 * The provider kit: everything a provider may use from Hookport's core, in one place. Providers
 * (providers/<name>/, or any folder outside src/) import src/ only through this file; ESLint holds
 * them to it, so a provider cannot grow a dependency on the core's insides by accident. What is
 * not exported here is not part of the provider contract and may change without notice.
 */

// The contract: what a provider is, what it receives and what it returns.
export type {
  AdminApi,
  AnyProvider,
  BackgroundJob,
  CanonicalEvent,
  CommandDeps,
  CommandTools,
  DayCount,
  EventContext,
  Identity,
  InstanceDirectory,
  ProviderInstance,
  Normalized,
  Provider,
  ProviderCommand,
  ProviderDeps,
  ProviderFigures,
  ProviderRegistry,
  ProviderRouteDeps,
  RawRequest,
  ReplyContext,
  RequestHead,
  SampleBuilder,
  SampleContext,
  WebhookResponse,
} from '../contract/provider';

// Errors: throw these; the core answers and settles each one as its doc says.
export {
  ConflictError,
  DeferError,
  HookportError,
  InvalidRequestError,
  NotFoundError,
  PayloadError,
  RequestTooLargeError,
  VerificationError,
} from '../errors/hookport-error';
export { errorMessage } from '../errors/error-message';
export { SecretUnreadableError } from '../errors/hookport-error';

// Settings: the provider's environment variables and their checks.
export { defineSettings, type ProviderSettings } from '../contract/settings';
export { durationSchema, httpUrl, optionalText, secretList } from '../config/env';
export type { Config } from '../config/config';

// Requests: parsing bodies, comparing signatures, keys fit for the inbox.
export { isoDateTime, parseJsonBody, parseWithSchema } from '../contract/payload';
export { notValidJson } from '../text/json-error';
export { secretsEqual, signaturesEqual } from '../crypto/secure-compare';
export { isBase64Digest } from '../crypto/signature-shape';
export { sha256Key } from '../inbox/storable-key';
export { configuredSecrets, scrubSecrets } from '../http/redact';

// Records: the changes a provider emits, its own tables and their appliers.
export {
  withoutReceipts,
  type Applied,
  type ApplyContext,
  type Described,
  type RecordChanges,
  type EmailChange,
  type MessageChange,
  type RecordApplier,
  type RecordAppliers,
  type SuppressionChange,
} from '../contract/record-changes';
export { createdAt, recordKey, ts, updatedAt } from '../db/tables/columns';
export type { SuppressionReason } from '../db/tables/suppressions';
export type { Db, Executor } from '../db/client';
export { queryRows } from '../db/rows';
// Stored secrets: a provider's columns that hold them, sealed with `config.secretBox` under their label.
export { sealedLabel, type SealedColumn } from '../secrets/sealed-field';
export { compileUpsert, withoutKind, type UpsertSpec } from '../records/compiled-upsert';
export { keepUnlessGiven, refs, takeGiven } from '../records/sql';
export { keepingGiven } from '../records/upsert';
export { normalizeEmail, normalizePhone } from '../records/addresses';
export { suppressionChange } from '../records/suppressions';
export { insertCanonicalEvents, type CanonicalEventRow } from '../records/canonical';

// Events: the catalogue entries a provider declares and the bodies its records become.
export type { EventTypeDefinition } from '../events/event-type';
export { sharedEventTypes } from '../events/shared-types';
export { recordView, snapshotOf, type RecordView } from '../events/record-view';
export { normalizedObject, type NormalizedObject } from '../events/normalized-object';
export { eventBody } from '../events/body';

// Operator surfaces: admin API routes and console pages.
export { route, type AdminRoute } from '../contract/admin-route';
export { errorAnswerSchema } from '../admin/api/schemas';
export type { ConsoleContext, ConsolePage } from '../contract/console-page';
export { html, type Html } from '../html/html';
export { badge, duration, postForm, time } from '../html/components';
export { basePath } from '../admin/sessions';

// The audit log: record an operator action (declare its name in the provider's auditActions).
export { audited, recordAudit } from '../audit/record';
export type { AuditBy, AuditEntry } from '../audit/entry';
export { addressOf as clientAddress } from '../http/auth-failures';

// Slack messages: the buttons' action ids, and the Block Kit pieces (every value escaped).
export { SLACK_ACTIONS, type SlackAction } from '../deliveries/slack/actions';
export {
  LIMITS as SLACK_LIMITS,
  buttons,
  context,
  esc,
  fields,
  fit,
  header,
  message,
  plainSection,
  section,
  value,
  type Block,
  type Button,
  type SlackMessage,
} from '../deliveries/slack/mrkdwn';

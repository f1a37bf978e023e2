import { audited, type AuditBy, type Config, type Db, HookportError, InvalidRequestError } from '../../src/provider';
import { DEFAULT_EVENT_TYPES, ThumbtackApiError, thumbtackApi, type ThumbtackApi, type ThumbtackWebhook } from './api';
import { ThumbtackOAuthError } from './oauth/token-endpoint';
import { configuredAuth, forgetCredentials, rememberCredentials } from './credentials';
import { thumbtackSettings } from './settings';
import { managementToken, NO_TOKEN_MESSAGE, notConfigured, type TokenSource } from './token';

/** A webhook as the admin API, the CLI and the console show it. */
export interface WebhookView {
  webhookId: string;
  url: string | null;
  enabled: boolean;
  authType: string | null;
  eventTypes: string[];
  /** Its URL is this Hookport's (PUBLIC_BASE_URL + /webhooks/thumbtack). */
  pointsHere: boolean;
}

export interface WebhookChange {
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

/** The URL Thumbtack should deliver to, when PUBLIC_BASE_URL is set. */
export const hookportUrl = (config: Config): string | undefined =>
  config.publicBaseUrl ? `${config.publicBaseUrl.replace(/\/+$/, '')}/webhooks/thumbtack` : undefined;

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export function viewOf(config: Config, w: ThumbtackWebhook): WebhookView {
  const here = hookportUrl(config);
  return {
    webhookId: w.webhookID,
    url: w.webhookURL ?? null,
    enabled: w.enabled !== false,
    authType: w.authType ?? null,
    eventTypes: w.eventTypes ?? [],
    pointsHere: Boolean(here && w.webhookURL && sameUrl(w.webhookURL, here)),
  };
}

const MISSING_CREDENTIALS =
  'set THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD first: Hookport refuses Thumbtack deliveries without them';

/** Thumbtack's refusal as the caller sees it: 502 with its status and message (already scrubbed). */
async function atThumbtack<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ThumbtackApiError) throw new HookportError('provider_api_error', err.message);
    throw err;
  }
}

/** An API client with the token in use; 503 naming what to set when there is none. */
export async function apiOf(config: Config, db: Db): Promise<{ api: ThumbtackApi; source: TokenSource }> {
  // A refresh Thumbtack refused (other than invalid_grant) or never answered: its status and code only.
  const token = await managementToken(config, db).catch((err: unknown) => {
    throw err instanceof ThumbtackOAuthError ? new HookportError('provider_api_error', err.message) : err;
  });
  if (!token) throw notConfigured(NO_TOKEN_MESSAGE);
  const { password } = configuredAuth(config) ?? {};
  const { apiUrl } = thumbtackSettings.of(config);
  return {
    api: thumbtackApi({ baseUrl: apiUrl, accessToken: token.token, secrets: password ? [password] : [] }),
    source: token.source,
  };
}

/**
 * Thumbtack webhook management: the one implementation the admin API, the CLI and the console use.
 * Every change is in the audit log (ids, types, enabled; never a credential).
 */
export function thumbtackWebhooks(config: Config, db: Db) {
  const credentials = () => {
    const auth = configuredAuth(config);
    if (!auth) throw notConfigured(MISSING_CREDENTIALS);
    return auth;
  };

  return {
    async list(businessId: string): Promise<WebhookView[]> {
      const { api } = await apiOf(config, db);
      return (await atThumbtack(() => api.listWebhooks(businessId))).map((w) => viewOf(config, w));
    },

    async create(businessId: string, change: WebhookChange, by: AuditBy): Promise<WebhookView> {
      const auth = credentials();
      const url = change.url ?? hookportUrl(config);
      if (!url) throw new InvalidRequestError('set PUBLIC_BASE_URL or give the webhook url');
      const { api } = await apiOf(config, db);
      const settings = {
        webhookURL: url,
        eventTypes: change.eventTypes ?? [...DEFAULT_EVENT_TYPES],
        enabled: change.enabled ?? true,
        auth,
      };
      const created = await atThumbtack(() => api.createWebhook(businessId, settings));
      await audited(
        db,
        (tx) => rememberCredentials(tx, businessId, created.webhookID, auth),
        () => ({
          by,
          action: 'thumbtack.webhook_create',
          target: created.webhookID,
          detail: { businessId, url, eventTypes: settings.eventTypes, enabled: settings.enabled },
        }),
      );
      return viewOf(config, created);
    },

    /** An update replaces the settings: the rest come from Thumbtack's, and the credentials are sent again. */
    async update(businessId: string, webhookId: string, change: WebhookChange, by: AuditBy): Promise<WebhookView> {
      const auth = credentials();
      const { api } = await apiOf(config, db);
      const current = await atThumbtack(() => api.getWebhook(businessId, webhookId));
      const updated = await atThumbtack(() =>
        api.updateWebhook(businessId, webhookId, {
          webhookURL: change.url ?? current.webhookURL ?? '',
          eventTypes: change.eventTypes ?? current.eventTypes ?? [],
          enabled: change.enabled ?? current.enabled !== false,
          auth,
        }),
      );
      await audited(
        db,
        (tx) => rememberCredentials(tx, businessId, webhookId, auth),
        () => ({ by, action: 'thumbtack.webhook_update', target: webhookId, detail: { businessId, ...change } }),
      );
      return viewOf(config, updated);
    },

    async remove(businessId: string, webhookId: string, by: AuditBy): Promise<void> {
      const { api } = await apiOf(config, db);
      await atThumbtack(() => api.deleteWebhook(businessId, webhookId));
      await audited(
        db,
        (tx) => forgetCredentials(tx, webhookId),
        () => ({ by, action: 'thumbtack.webhook_delete', target: webhookId, detail: { businessId } }),
      );
    },
  };
}

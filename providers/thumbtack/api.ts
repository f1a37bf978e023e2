import { z } from 'zod';
import { scrubSecrets } from '../../src/provider';

/**
 * Webhook management on the Thumbtack Partner API v4 (OAuth bearer token, scopes
 * supply::webhooks.read/write): /api/v4/businesses/{businessID}/webhooks[/{webhookID}].
 */
export const DEFAULT_EVENT_TYPES = ['NegotiationCreatedV4', 'MessageCreatedV4', 'ReviewCreatedV4'] as const;

const id = z.union([z.string().min(1), z.number()]).transform(String);

const webhookSchema = z.looseObject({
  webhookID: id,
  webhookURL: z.string().nullish(),
  enabled: z.boolean().nullish(),
  authType: z.string().nullish(),
  businessID: id.nullish(),
  eventTypes: z.array(z.string()).nullish(),
});
export type ThumbtackWebhook = z.infer<typeof webhookSchema>;

const businessSchema = z.looseObject({ businessID: id, name: z.string().nullish() });

export interface WebhookSettings {
  webhookURL: string;
  eventTypes: string[];
  enabled: boolean;
  /** Sent as HTTP Basic on every delivery. Thumbtack never returns the password. */
  auth?: { username: string; password: string };
}

/** A non-2xx answer (or no answer): the status and Thumbtack's own message, never a credential. */
export class ThumbtackApiError extends Error {
  override name = 'ThumbtackApiError';
  constructor(
    readonly status: number,
    readonly apiMessage: string,
  ) {
    super(status ? `Thumbtack API answered ${status}: ${apiMessage}` : `Thumbtack API unreachable: ${apiMessage}`);
  }
}

/** Thumbtack's message from an error body, whichever of the usual shapes it takes. */
export function apiErrorMessage(bodyText: string): string {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return bodyText.trim().slice(0, 300) || '(empty body)';
  }
  const b = (body ?? {}) as Record<string, unknown>;
  const messageOf = (v: unknown): unknown =>
    v && typeof v === 'object' ? (v as { message?: unknown }).message : undefined;
  const candidates = [
    messageOf(b.error),
    b.message,
    Array.isArray(b.errors)
      ? b.errors
          .map((e: unknown) => messageOf(e) ?? e)
          .filter(Boolean)
          .join('; ')
      : undefined,
    typeof b.error === 'string' ? [b.error, b.error_description].filter(Boolean).join(': ') : undefined,
    b.detail ?? b.title,
  ];
  const found = candidates.find((c): c is string => typeof c === 'string' && c !== '');
  return found ?? bodyText.trim().slice(0, 300);
}

export interface ThumbtackApiOptions {
  baseUrl: string;
  accessToken: string;
  /** Secrets to scrub from any message shown (the token is always scrubbed). */
  secrets?: readonly string[];
  timeoutMs?: number;
}

export function thumbtackApi(options: ThumbtackApiOptions) {
  const secrets = [options.accessToken, ...(options.secrets ?? [])];
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      throw new ThumbtackApiError(0, scrub(`${base}: ${cause?.message ?? (err as Error).message}`));
    }
    const text = await response.text();
    if (!response.ok) throw new ThumbtackApiError(response.status, scrub(apiErrorMessage(text)));
    return text === '' ? undefined : JSON.parse(text);
  }

  const webhooksPath = (businessID: string, webhookID?: string) =>
    `/api/v4/businesses/${encodeURIComponent(businessID)}/webhooks` +
    (webhookID === undefined ? '' : `/${encodeURIComponent(webhookID)}`);
  const one = (value: unknown) => webhookSchema.parse(value);

  return {
    /** GET /api/v4/businesses: the businesses the token's user may manage (path and shape unconfirmed). */
    async listBusinesses(): Promise<{ businessId: string; name: string | null }[]> {
      const body = (await call('GET', '/api/v4/businesses')) as { data?: unknown } | unknown[] | undefined;
      const items = z.array(businessSchema).parse(Array.isArray(body) ? body : (body?.data ?? []));
      return items.map((b) => ({ businessId: b.businessID, name: b.name ?? null }));
    },
    async listWebhooks(businessID: string): Promise<ThumbtackWebhook[]> {
      const body = (await call('GET', webhooksPath(businessID))) as { data?: unknown } | unknown[] | undefined;
      const items = Array.isArray(body) ? body : (body?.data ?? []);
      return z.array(webhookSchema).parse(items);
    },
    async getWebhook(businessID: string, webhookID: string): Promise<ThumbtackWebhook> {
      return one(await call('GET', webhooksPath(businessID, webhookID)));
    },
    async createWebhook(businessID: string, settings: WebhookSettings): Promise<ThumbtackWebhook> {
      return one(await call('POST', webhooksPath(businessID), settings));
    },
    async updateWebhook(businessID: string, webhookID: string, settings: WebhookSettings): Promise<ThumbtackWebhook> {
      return one(await call('PUT', webhooksPath(businessID, webhookID), settings));
    },
    async deleteWebhook(businessID: string, webhookID: string): Promise<void> {
      await call('DELETE', webhooksPath(businessID, webhookID));
    },
  };
}

export type ThumbtackApi = ReturnType<typeof thumbtackApi>;

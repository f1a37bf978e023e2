import { sql } from 'drizzle-orm';
import { type Config, type Db, HookportError, queryRows } from '../../src/provider';
import { thumbtackSettings } from './settings';
import { configuredAuth, credentialsDigest, sentDigests } from './credentials';
import { connectionStatus } from './oauth/tokens';
import { managementToken, tokenSourceLine, type TokenSource } from './token';
import { hookportUrl, thumbtackWebhooks, type WebhookView } from './webhooks';

export type BusinessSetupState = 'ok' | 'other_credentials' | 'no_credentials' | 'not_here' | 'unknown';

export interface BusinessSetup {
  businessId: string;
  name: string | null;
  state: BusinessSetupState;
  webhookId: string | null;
  message: string;
}

export interface SetupReport {
  tokenSource: TokenSource | null;
  businesses: BusinessSetup[];
}

/**
 * Whether Thumbtack delivers each business's events here with the credentials Hookport checks.
 * Thumbtack never returns a password, so "Hookport's credentials" means: Hookport sent its current
 * ones on that webhook (a digest is kept). One that points here with other credentials only gets 401s.
 */
function stateOf(
  config: Config,
  webhooks: WebhookView[],
  digests: Map<string, { digest: string }>,
): Omit<BusinessSetup, 'businessId' | 'name'> {
  const here = webhooks.filter((w) => w.pointsHere);
  if (here.length === 0) {
    const url = hookportUrl(config) ?? 'PUBLIC_BASE_URL + /webhooks/thumbtack';
    return { state: 'not_here', webhookId: null, message: `no webhook points here (${url}): create one` };
  }
  const auth = configuredAuth(config);
  const current = auth ? credentialsDigest(auth) : undefined;
  const good = here.find((w) => w.authType === 'Basic' && current && digests.get(w.webhookId)?.digest === current);
  if (good) {
    const disabled = good.enabled ? '' : ' (disabled)';
    return {
      state: 'ok',
      webhookId: good.webhookId,
      message: `webhook ${good.webhookId} points here with Hookport's credentials${disabled}`,
    };
  }
  const w = here[0]!;
  if (w.authType !== 'Basic') {
    return {
      state: 'no_credentials',
      webhookId: w.webhookId,
      message: `webhook ${w.webhookId} points here without Basic credentials (auth ${w.authType ?? 'unknown'}): every delivery gets 401; update it to send Hookport's`,
    };
  }
  return {
    state: 'other_credentials',
    webhookId: w.webhookId,
    message: `webhook ${w.webhookId} points here with credentials Hookport did not set (or set before they changed): every delivery gets 401; update it to send Hookport's`,
  };
}

/**
 * The connected businesses (and those Hookport registered webhooks for), each with its state. A
 * business Thumbtack's API refuses to list is reported with the reason, never a credential.
 */
export async function setupReport(config: Config, db: Db): Promise<SetupReport> {
  const token = await managementToken(config, db);
  const connection = await connectionStatus(db);
  const digests = await sentDigests(db);
  const names = new Map<string, string | null>(connection.businesses.map((b) => [b.businessId, b.name]));
  for (const { businessId } of digests.values()) if (!names.has(businessId)) names.set(businessId, null);
  if (!token) return { tokenSource: null, businesses: [] };
  const service = thumbtackWebhooks(config, db);
  const businesses: BusinessSetup[] = [];
  for (const [businessId, name] of names) {
    try {
      businesses.push({ businessId, name, ...stateOf(config, await service.list(businessId), digests) });
    } catch (err) {
      if (!(err instanceof HookportError)) throw err;
      businesses.push({ businessId, name, state: 'unknown', webhookId: null, message: err.message });
    }
  }
  return { tokenSource: token.source, businesses };
}

/** `hookport config check`'s Thumbtack lines: the token in use, then each business's state. */
export async function setupCheckLines(config: Config, db: Db): Promise<string[]> {
  // config check migrates nothing: a database Hookport never started on has no tables yet.
  const [tables] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('thumbtack_webhook_credentials') is not null as present`,
  );
  if (!tables?.present) {
    const env = thumbtackSettings.of(config).accessToken ? 'THUMBTACK_ACCESS_TOKEN' : null;
    return [tokenSourceLine(config, env), 'no tables yet: start Hookport once (it creates them), then check again'];
  }
  const report = await setupReport(config, db);
  const lines = [tokenSourceLine(config, report.tokenSource)];
  if (report.tokenSource && report.businesses.length === 0) {
    lines.push('no connected business, and no webhook registered through Hookport yet');
  }
  for (const b of report.businesses) {
    const flag = b.state === 'ok' ? '' : b.state === 'unknown' ? 'not checked: ' : 'warning: ';
    lines.push(`business ${b.businessId}${b.name ? ` (${b.name})` : ''}: ${flag}${b.message}`);
  }
  return lines;
}

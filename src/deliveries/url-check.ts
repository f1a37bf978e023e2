import { isIP } from 'node:net';
import { refusedAddress, systemResolver, type Resolver } from './network-guard';

export interface UrlCheckOptions {
  allowPrivateNetworks: boolean;
  resolve?: Resolver;
}

/**
 * Why a destination URL is not allowed, or null when it is: it must be http(s) and, unless private
 * networks are allowed, its host must not be (or resolve to) a refused address. Advisory: a name
 * may resolve elsewhere later, so every connection is checked again (http-client.ts); a name that
 * does not resolve now is accepted (its deliveries fail and retry until it does).
 */
export async function urlNotAllowed(text: string, options: UrlCheckOptions): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs can be delivered to';
  if (url.username || url.password) return 'credentials in the URL are not supported';
  if (options.allowPrivateNetworks) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refusedAddress(host);
  const resolve = options.resolve ?? systemResolver;
  const addresses = await new Promise<{ address: string }[]>((done) =>
    resolve(host, (err, found) => done(err ? [] : found)),
  );
  for (const a of addresses) {
    const why = refusedAddress(a.address);
    if (why) return `${host} resolves to a refused address: ${why}`;
  }
  return null;
}

/**
 * A Slack destination's extra rule: its URL must be https, because an incoming-webhook URL is
 * its own credential (whoever has it can post to the channel) and must not travel in clear text.
 * Any https host is accepted, not only hooks.slack.com: GovSlack (hooks.slack-gov.com) and
 * Slack-compatible chat servers (Mattermost, Rocket.Chat, Zulip's Slack integration) take the
 * same messages at their own hosts. With DELIVERY_ALLOW_PRIVATE_NETWORKS=true (development and
 * tests only) http is accepted too, so a local stand-in can be used.
 */
/**
 * Why a subscription of this kind may not deliver to this URL (the admin API and the console both ask this), or null.
 */
export async function destinationNotAllowed(
  url: string,
  kind: 'webhook' | 'slack',
  options: UrlCheckOptions,
): Promise<string | null> {
  return (
    (kind === 'slack' ? slackUrlNotAllowed(url, options.allowPrivateNetworks) : null) ??
    (await urlNotAllowed(url, options))
  );
}

export function slackUrlNotAllowed(text: string, allowPrivateNetworks: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol === 'https:' || (allowPrivateNetworks && url.protocol === 'http:')) return null;
  return 'a Slack incoming-webhook URL must be https (it is the credential that lets anyone post to the channel)';
}

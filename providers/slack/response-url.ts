import { errorMessage, type ReplyContext } from '../../src/provider';
import type { SlackMessage } from './blocks';
import { slackSettings } from './settings';

/**
 * Whether a `response_url` may be posted to: https on hooks.slack.com, or the configured origin
 * (SLACK_RESPONSE_URL_ORIGIN). The URL comes from a signed body, but a leaked signing secret must
 * not turn Hookport into a way to post anywhere.
 */
export function allowedResponseUrl(url: unknown, origins: readonly string[]): url is string {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return !parsed.username && !parsed.password && origins.includes(parsed.origin);
}

/** Where a URL points, for a log line: its origin only (the path of a response_url is a credential). */
const originOf = (url: unknown) => {
  try {
    return new URL(String(url)).origin;
  } catch {
    return 'not a URL';
  }
};

/** Posts an ephemeral answer to `response_url` through deliveries' client; refused, or failed, it is logged. */
export async function postToResponseUrl(
  context: Pick<ReplyContext, 'config' | 'http' | 'logger'>,
  url: unknown,
  answer: SlackMessage,
): Promise<boolean> {
  const { responseOrigins } = slackSettings.of(context.config);
  if (!allowedResponseUrl(url, responseOrigins)) {
    context.logger.warn('slack response_url refused: not a Slack host', {
      provider: 'slack',
      origin: originOf(url),
      allowed: responseOrigins,
    });
    return false;
  }
  const body = JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...answer });
  try {
    const result = await context.http.post(url, { 'content-type': 'application/json; charset=utf-8' }, body);
    if (result.status >= 200 && result.status < 300) return true;
    context.logger.warn('slack response_url answered an error', {
      provider: 'slack',
      origin: originOf(url),
      status: result.status,
      answer: result.body.toString('utf8').slice(0, 200),
    });
  } catch (err) {
    context.logger.warn('slack response_url post failed', {
      provider: 'slack',
      origin: originOf(url),
      error: errorMessage(err),
    });
  }
  return false;
}

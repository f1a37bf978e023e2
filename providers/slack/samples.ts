import { randomBytes } from 'node:crypto';
import type { SampleBuilder, SampleContext } from '../../src/provider';
import { slackSettings } from './settings';
import { slackHeaders } from './sign';

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** A slash command's form, as Slack posts it; `line` is what was typed, e.g. `/jobber client dana`. */
export function commandForm(line: string): Record<string, string> {
  const [command = '/jobber', ...words] = line.trim().split(/\s+/);
  const trigger = `${digits(12)}.${digits(11)}.${randomBytes(16).toString('hex')}`;
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0HOOKPORT',
    team_domain: 'hookport-sample',
    channel_id: 'C0SAMPLE01',
    channel_name: 'field-team',
    user_id: 'U0SAMPLE01',
    user_name: 'dispatcher',
    command: command.startsWith('/') ? command : `/${command}`,
    text: words.join(' '),
    api_app_id: 'A0HOOKPORT',
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.com/commands/T0HOOKPORT/${digits(12)}/${randomBytes(12).toString('base64url')}`,
    trigger_id: trigger,
  };
}

/** `command "<line>"`: the line typed in Slack (default `/jobber help`), signed with the first secret. */
function command({ config, args }: SampleContext) {
  const [secret] = slackSettings.of(config).signingSecrets;
  const body = new URLSearchParams(commandForm(args?.[0] ?? '/jobber help')).toString();
  return { path: '/slack/commands', headers: slackHeaders(secret!, body), body };
}

export const slackSamples: Readonly<Record<string, SampleBuilder>> = { command };

import { type Provider } from '../../src/provider';
import { identifySlack } from './identify';
import { respondToSlack } from './respond';
import { slackSamples } from './samples';
import { slackSettings } from './settings';
import { slackConsolePage } from './console';
import { createSlackPrecheck, createSlackVerifier, SIGNATURE_HEADER } from './verify';
import { SLACK_ACTIONS } from './actions';

export { SLACK_ACTIONS } from './actions';

/** The paths a Slack app is set up to call (its Request URLs). */
export const SLACK_COMMANDS_PATH = '/slack/commands';
export const SLACK_INTERACTIONS_PATH = '/slack/interactions';

/**
 * Slack as a sender: `/jobber` slash commands and button clicks, answered from the tables. Each is
 * stored like any webhook (visible, counted, replayable), and answered only when it arrives: the
 * worker records nothing and posts nothing, so a replay never speaks in Slack again.
 */
export const slackProvider: Provider<Record<string, string>> = {
  name: 'slack',
  label: 'Slack',
  settings: slackSettings,
  requiredEnv: 'SLACK_SIGNING_SECRET',
  credentialHeaders: [SIGNATURE_HEADER],
  createVerifier(config) {
    const { signingSecrets } = slackSettings.of(config);
    return signingSecrets.length > 0 ? createSlackVerifier(signingSecrets) : null;
  },
  createPrecheck: () => createSlackPrecheck(),
  identify: identifySlack,
  webhookPaths: [SLACK_COMMANDS_PATH, SLACK_INTERACTIONS_PATH],
  // Its interactions route answers every button: Hookport's Slack notices carry them while it is configured.
  slackActions: Object.values(SLACK_ACTIONS),
  respond: respondToSlack(),
  eventTypes: [],
  parse: (body) => Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
  normalize: () => ({ ignored: 'a Slack command or click is answered when it arrives; there is nothing to record' }),
  samples: slackSamples,
  consolePages: [slackConsolePage],
  needsPublicBaseUrl: 'the Slack app calls PUBLIC_BASE_URL + /slack/commands and /slack/interactions',
};

import { defineSettings, httpUrl, secretList } from '../../src/provider';

export interface SlackSettings {
  /** The Slack app's signing secrets; several during a rotation. */
  signingSecrets: string[];
  /**
   * Origins a command's or click's `response_url` may point at: Slack's own, and the configured
   * one (GovSlack, or a local stand-in).
   */
  responseOrigins: string[];
}

/** Where Slack's commercial service takes `response_url` posts. */
export const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';

export const slackSettings = defineSettings('slack', {
  env: { SLACK_SIGNING_SECRET: secretList, SLACK_RESPONSE_URL_ORIGIN: httpUrl },
  exampleEnv: { SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5' },
  build: (env): SlackSettings => ({
    signingSecrets: env.SLACK_SIGNING_SECRET,
    responseOrigins: [
      SLACK_RESPONSE_ORIGIN,
      ...(env.SLACK_RESPONSE_URL_ORIGIN ? [new URL(env.SLACK_RESPONSE_URL_ORIGIN).origin] : []),
    ],
  }),
  secrets: (s) => s.signingSecrets,
});

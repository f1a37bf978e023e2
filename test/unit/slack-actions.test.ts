import { providers } from '../../providers';
import { loadConfig } from '../../src/contract/load-config';
import { answeredActions, SLACK_ACTIONS } from '../../src/deliveries/slack/actions';

describe('the Slack buttons messages carry', () => {
  const answering = { ...providers.resend, slackActions: [SLACK_ACTIONS.lead] };
  const registry = { ...providers, resend: answering };

  it('are those a configured provider answers', () => {
    const config = loadConfig(
      { RESEND_WEBHOOK_SECRET: providers.resend.settings.exampleEnv.RESEND_WEBHOOK_SECRET },
      registry,
    );
    expect([...answeredActions(registry, config)]).toEqual(['hookport.lead']);
  });

  it('are none while that provider is not configured', () => {
    const config = loadConfig({}, registry);
    expect(answeredActions(registry, config).size).toBe(0);
  });
});

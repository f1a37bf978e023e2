/** The Slack app manifest to paste at api.slack.com/apps (Create New App → From a manifest). */
export function slackManifest(publicBaseUrl: string): Record<string, unknown> {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    display_information: { name: 'Hookport', description: 'Clients, jobs and invoices from Hookport' },
    features: {
      bot_user: { display_name: 'Hookport', always_online: false },
      slash_commands: [
        {
          command: '/jobber',
          url: `${base}/slack/commands`,
          description: 'Clients, jobs and invoices',
          usage_hint: 'client dana | jobs today | invoices unpaid | help',
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: ['commands'] } },
    settings: {
      interactivity: { is_enabled: true, request_url: `${base}/slack/interactions` },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

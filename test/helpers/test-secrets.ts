import { providers as registry } from '../../providers';
import type { ProviderRegistry } from '../../src/contract/provider';

/**
 * The settings every harness (and chaos) is configured with: each registered provider's own
 * example values (its `settings.exampleEnv`), so a new provider needs nothing added here.
 */
export function providerTestEnv(providers: ProviderRegistry = registry): Record<string, string> {
  const env: Record<string, string> = { PUBLIC_BASE_URL: 'https://hooks.example.com' };
  for (const provider of Object.values(providers)) {
    for (const [name, value] of Object.entries(provider.settings.exampleEnv))
      if (value !== undefined) env[name] = value;
  }
  return env;
}

export const PROVIDER_TEST_ENV = providerTestEnv();

/** One test value by variable name; a missing one is a broken provider declaration. */
function testValue(name: string): string {
  const value = PROVIDER_TEST_ENV[name];
  if (value === undefined) throw new Error(`no provider declares an example value for ${name}`);
  return value;
}

/** The same values by role, for tests that sign or look for one provider's credentials. */
export const TEST_SECRETS = {
  twilioToken: testValue('TWILIO_AUTH_TOKEN'),
  resendSecret: testValue('RESEND_WEBHOOK_SECRET'),
  jobberClientSecret: testValue('JOBBER_CLIENT_SECRET'),
  publicBaseUrl: testValue('PUBLIC_BASE_URL'),
  thumbtackUsername: testValue('THUMBTACK_WEBHOOK_USERNAME'),
  thumbtackPassword: testValue('THUMBTACK_WEBHOOK_PASSWORD'),
  slackSigningSecret: testValue('SLACK_SIGNING_SECRET'),
};

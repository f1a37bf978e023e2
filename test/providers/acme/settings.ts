import { defineSettings, secretList } from '../../../src/provider';

export const acmeSettings = defineSettings('acme', {
  env: { ACME_WEBHOOK_SECRET: secretList },
  exampleEnv: { ACME_WEBHOOK_SECRET: 'acme-webhook-secret-0123456789abcdef' },
  build: (env) => ({ secrets: env.ACME_WEBHOOK_SECRET }),
  secrets: (s) => s.secrets,
});

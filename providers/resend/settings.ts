import { Webhook } from 'svix/dist/webhook';
import { defineSettings, secretList } from '../../src/provider';

export interface ResendSettings {
  /** `whsec_…` signing secrets; several during a rotation. */
  secrets: string[];
}

const MIN_KEY_BYTES = 24;

const signingSecrets = secretList.superRefine((secrets, ctx) => {
  secrets.forEach((secret, i) => {
    if (!secret.startsWith('whsec_')) {
      ctx.addIssue({
        code: 'custom',
        message: `secret #${i + 1} must start with whsec_ (copy it from Resend's webhook page)`,
      });
      return;
    }
    try {
      new Webhook(secret);
    } catch {
      ctx.addIssue({ code: 'custom', message: `secret #${i + 1} is not whsec_ followed by base64` });
      return;
    }
    // An empty or truncated key would let anyone sign: Standard Webhooks keys are 24 to 64 bytes.
    if (Buffer.from(secret.slice('whsec_'.length), 'base64').length < MIN_KEY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `secret #${i + 1} is shorter than ${MIN_KEY_BYTES} bytes; copy the whole signing secret from Resend`,
      });
    }
  });
});

export const resendSettings = defineSettings('resend', {
  env: { RESEND_WEBHOOK_SECRET: signingSecrets },
  exampleEnv: { RESEND_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  build: (env): ResendSettings => ({ secrets: env.RESEND_WEBHOOK_SECRET }),
  // The base64 key alone is what signs: scrub it too.
  secrets: (s) => [...s.secrets, ...s.secrets.map((secret) => secret.replace(/^whsec_/, ''))],
});

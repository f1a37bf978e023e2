import { parseJsonBody, parseWithSchema, type Provider } from '../../src/provider';
import { resendEventTypes } from './event-types';
import { identifyResend } from './identify';
import { normalizeResend } from './normalize';
import { resendEventSchema, type ResendEvent } from './schema';
import { createResendPrecheck } from './precheck';
import { resendSamples } from './samples';
import { resendSettings } from './settings';
import { SIGNATURE_HEADERS, createResendVerifier } from './verify';

export const resendProvider: Provider<ResendEvent> = {
  name: 'resend',
  label: 'Resend',
  settings: resendSettings,
  requiredEnv: 'RESEND_WEBHOOK_SECRET',
  credentialHeaders: SIGNATURE_HEADERS,
  createVerifier(config) {
    const { secrets } = resendSettings.of(config);
    return secrets.length > 0 ? createResendVerifier(secrets) : null;
  },
  createPrecheck: createResendPrecheck,
  identify: identifyResend,
  eventTypes: resendEventTypes,
  parse(body) {
    return parseWithSchema(resendEventSchema, parseJsonBody(body));
  },
  normalize: (payload, context) => normalizeResend(payload, context),
  samples: resendSamples,
};

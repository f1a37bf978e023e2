import { notValidJson, parseWithSchema, PayloadError, type Provider, sharedEventTypes } from '../../src/provider';
import { isJsonSigned } from './form';
import { identifyTwilio, twilioFields } from './identify';
import { normalizeTwilio } from './normalize';
import { twilioMessageSchema, type TwilioMessage } from './schema';
import { createTwilioPrecheck } from './precheck';
import { twilioSamples } from './samples';
import { twilioSettings } from './settings';
import { SIGNATURE_HEADER, createTwilioVerifier } from './verify';

export const twilioProvider: Provider<TwilioMessage> = {
  name: 'twilio',
  label: 'Twilio',
  messageChannel: 'SMS',
  settings: twilioSettings,
  requiredEnv: 'TWILIO_AUTH_TOKEN',
  credentialHeaders: [SIGNATURE_HEADER],
  createVerifier(config) {
    const { authTokens } = twilioSettings.of(config);
    return authTokens.length > 0 && config.publicBaseUrl
      ? createTwilioVerifier(authTokens, config.publicBaseUrl)
      : null;
  },
  createPrecheck: createTwilioPrecheck,
  identify: identifyTwilio,
  // An inbound STOP or START also suppresses or lifts its sender (contact.*); `data.metadata` is the callback URL's
  // query.
  eventTypes: sharedEventTypes(
    'message.received',
    'message.status_changed',
    'contact.suppressed',
    'contact.unsuppressed',
  ),
  // Empty TwiML: acknowledges without sending an automatic reply.
  respond: () => ({ contentType: 'text/xml', body: '<Response/>' }),
  parse(body, headers) {
    let fields;
    try {
      fields = twilioFields(body, isJsonSigned('', headers['content-type']));
    } catch (err) {
      throw new PayloadError(`body is ${notValidJson(err)}`);
    }
    return parseWithSchema(twilioMessageSchema, fields) as TwilioMessage;
  },
  normalize: (payload, context) => normalizeTwilio(payload, context),
  samples: twilioSamples,
  needsPublicBaseUrl: 'it signs the public URL it calls (PUBLIC_BASE_URL + /webhooks/twilio)',
};

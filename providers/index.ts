import type { Provider, ProviderName } from '../src/provider';
import { jobberProvider } from './jobber';
import { resendProvider } from './resend';
import { thumbtackProvider } from './thumbtack';
import { twilioProvider } from './twilio';

/** Every provider Hookport serves at /webhooks/<name>. Adding one is a folder and a line here. */
export const providers = {
  twilio: twilioProvider,
  resend: resendProvider,
  thumbtack: thumbtackProvider,
  jobber: jobberProvider,
} satisfies Record<ProviderName, Provider<any>>;

import type { ProviderRegistry } from '../src/provider';
import { jobberProvider } from './jobber';
import { resendProvider } from './resend';
import { slackProvider } from './slack';
import { sourcesProvider } from './sources';
import { thumbtackProvider } from './thumbtack';
import { twilioProvider } from './twilio';

/** Every provider Hookport serves at /webhooks/<name>. Adding one is a folder and a line here. */
export const providers = {
  twilio: twilioProvider,
  resend: resendProvider,
  thumbtack: thumbtackProvider,
  jobber: jobberProvider,
  slack: slackProvider,
  sources: sourcesProvider,
} satisfies ProviderRegistry;

/** The registered names, derived from the registry, for code that has something per provider (tests). */
export type RegisteredProviderName = keyof typeof providers;

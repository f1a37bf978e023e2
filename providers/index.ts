import type { Provider } from '../src/provider';
import type { sharedRecordAppliers } from '../src/records/apply';
import type { RecordKind } from '../src/records/changes';
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
} satisfies Record<string, Provider<any, any>>;

/** The registered names, derived from the registry, for code that has something per provider (tests). */
export type RegisteredProviderName = keyof typeof providers;

type KindsOf<P> = P extends { records?: infer R } ? keyof NonNullable<R> : never;
/** Record kinds declared (in some folder) that neither src/ nor an installed provider writes. */
type Unapplied = Exclude<RecordKind, keyof typeof sharedRecordAppliers | KindsOf<(typeof providers)[keyof typeof providers]>>;
// Fails to compile, naming the kind, when a declared record kind has no applier.
const everyKindApplied: [Unapplied] extends [never] ? true : Unapplied = true;
void everyKindApplied;

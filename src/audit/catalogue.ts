import type { ProviderRegistry } from '../contract/provider';
import { AUDIT_ACTIONS } from './actions';

/** Every audit action with its meaning: the core's, then each provider's own. */
export const auditActionsOf = (providers: ProviderRegistry): Readonly<Record<string, string>> =>
  Object.assign({}, AUDIT_ACTIONS, ...Object.values(providers).map((p) => p.auditActions ?? {}));

import { providers } from '../providers';
import type { ProviderRegistry } from './contract/provider';

/**
 * The composition root: the providers this build serves. The entry points (server, CLI) hand this
 * registry to the core; nothing else under src/ knows which providers exist.
 */
export const installedProviders: ProviderRegistry = providers;

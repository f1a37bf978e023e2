import { providers } from '../../providers';
import type { Config } from '../../src/config/config';
import { loadConfig as loadConfigFor } from '../../src/contract/load-config';

/** The configuration `npm start` would load from `env`, with every registered provider. */
export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadConfigFor(env, providers);

import { CliError, EXIT } from './exit-codes';
import type { Config } from '../config/config';
import { loadConfig } from '../contract/load-config';
import type { ProviderRegistry } from '../contract/provider';

/** What every command runs with: where to print, the environment, and the providers installed. */
export interface CliContext {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  registry: ProviderRegistry;
  /** Where confirmations are read from (process.stdin); a prompt is only shown when it is a terminal. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Settings read exactly as start-up reads them; a ConfigError (exit 78) names the variable. */
export const configOf = (ctx: CliContext): Config => loadConfig(ctx.env, ctx.registry);

/** Where a running Hookport listens on this machine: `http://127.0.0.1:$PORT` (3000 by default). */
export function localUrl(env: NodeJS.ProcessEnv): string {
  const port = env.PORT && /^\d+$/.test(env.PORT.trim()) ? env.PORT.trim() : '3000';
  return `http://127.0.0.1:${port}`;
}

/** `--url` (or the local default) as an origin without a trailing slash; anything else is bad usage. */
export function targetUrl(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const value = option ?? localUrl(env);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--url must be an http:// or https:// URL, e.g. ${localUrl(env)}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--url must be an http:// or https:// URL, e.g. ${localUrl(env)}`, EXIT.usage);
  }
  return value.replace(/\/+$/, '');
}

import { z } from 'zod';
import {
  ConfigError,
  CORE_NAMES_NOT_READ,
  UNVERIFIED_MODE,
  buildCoreConfig,
  checkCoreEnv,
  coreEnv,
  type Config,
  type CoreEnv,
} from '../config/config';
import type { SettingsProblem } from '../config/env';
import { ENCRYPTION_KEY_VARIABLE } from '../crypto/secret-box';
import { checkRegistry, type AnyProvider, type ProviderRegistry } from './provider';
import { bodyLimitEnv, bodyLimitProblems, bodyLimitsOf } from './body-limits';

const invalid = (lines: string[]) =>
  new ConfigError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);

/**
 * Parses the environment once: the core variables and every registered provider's own. Throws
 * ConfigError listing every bad variable by name, never its value.
 */
export function loadConfig(env: NodeJS.ProcessEnv, registry: ProviderRegistry): Config {
  const list = checkRegistry(registry);
  const schema = z.object(
    Object.assign({}, coreEnv, bodyLimitEnv(list), ...list.map((p) => p.settings.env)) as typeof coreEnv,
  );
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '?')}: ${issue.message}`));
  const e = parsed.data as CoreEnv & Record<string, unknown>;
  const core = buildCoreConfig(e);
  const bodyLimits = bodyLimitsOf(e, list, core.maxBodyBytes);
  const problems: SettingsProblem[] = [
    ...unverifiedMode(env),
    ...bodyLimitProblems(e, bodyLimits, core.ingestMaxBufferedBytes),
    ...list.flatMap((p) => p.settings.check?.(e, core) ?? []),
    ...checkCoreEnv(e),
  ];
  if (problems.length > 0) throw invalid(problems.map((p) => `${p.variable}: ${p.message}`));
  const settings = list.map((p) => [p, p.settings.build(e)] as const);
  return {
    ...core,
    providers: Object.fromEntries(settings.map(([p, s]) => [p.name, s])),
    bodyLimits,
    warnings: namesNotRead(env, list),
    secrets: [
      core.metricsToken,
      core.adminToken,
      ...e.HOOKPORT_ENCRYPTION_KEY,
      ...settings.flatMap(([p, s]) => p.settings.secrets(s)),
    ].filter((v): v is string => v !== undefined && v !== ''),
  };
}

/** VERIFY_WEBHOOK_SIGNATURES=false (or anything but true) asks for what Hookport never does. */
function unverifiedMode(env: NodeJS.ProcessEnv): SettingsProblem[] {
  const value = env[UNVERIFIED_MODE]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'true') return [];
  return [
    {
      variable: UNVERIFIED_MODE,
      message: 'Hookport never accepts an unverified webhook; remove this variable (every request is verified)',
    },
  ];
}

/** A warning for each name of the receivers Hookport replaces that is set, naming what to set instead. */
function namesNotRead(env: NodeJS.ProcessEnv, providers: readonly AnyProvider[]): SettingsProblem[] {
  const names: Record<string, string> = Object.assign(
    {},
    CORE_NAMES_NOT_READ,
    ...providers.map((p) => p.settings.notRead ?? {}),
  );
  return Object.entries(names)
    .filter(([name]) => (env[name] ?? '') !== '')
    .map(([name, instead]) => ({ variable: name, message: `Hookport does not read it; set ${instead} instead` }));
}

/** Unset HOOKPORT_ENCRYPTION_KEY: what the stored secrets are exposed to. */
const PLAIN_SECRETS: SettingsProblem = {
  variable: ENCRYPTION_KEY_VARIABLE,
  message:
    'not set: stored secrets (subscription signing secrets, Slack webhook URLs, provider tokens) are kept in plain text; ' +
    'set it to the base64 of 32 random bytes (openssl rand -base64 32), and keep a copy apart from the database backups',
};

/**
 * What start-up logs and `config check` prints as warnings: the names it does not read that are
 * set, secrets stored in plain text, and no provider configured at all (every webhook would be
 * answered 503).
 */
export function configWarnings(config: Config, registry: ProviderRegistry): SettingsProblem[] {
  // Providers with run-time instances take no variables: they cannot be what is unconfigured.
  const providers = Object.values(registry).filter((p) => !p.instances);
  const none = providers.every((p) => !p.createVerifier(config));
  const noProvider = {
    variable: providers.map((p) => p.requiredEnv).join(' or '),
    message: 'no provider is configured: every webhook is answered 503 until one is',
  };
  return [...config.warnings, ...(config.secretBox.enabled ? [] : [PLAIN_SECRETS]), ...(none ? [noProvider] : [])];
}

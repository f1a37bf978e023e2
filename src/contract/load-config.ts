import { z } from 'zod';
import { ConfigError, buildCoreConfig, checkCoreEnv, coreEnv, type Config, type CoreEnv } from '../config/config';
import type { SettingsProblem } from '../config/env';
import { checkRegistry, type ProviderRegistry } from './provider';

const invalid = (lines: string[]) =>
  new ConfigError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);

/**
 * Parses the environment once: the core variables and every registered provider's own. Throws
 * ConfigError listing every bad variable by name, never its value.
 */
export function loadConfig(env: NodeJS.ProcessEnv, registry: ProviderRegistry): Config {
  const list = checkRegistry(registry);
  const schema = z.object(Object.assign({}, coreEnv, ...list.map((p) => p.settings.env)) as typeof coreEnv);
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '?')}: ${issue.message}`));
  const e = parsed.data as CoreEnv & Record<string, unknown>;
  const core = buildCoreConfig(e);
  const problems: SettingsProblem[] = [...list.flatMap((p) => p.settings.check?.(e, core) ?? []), ...checkCoreEnv(e)];
  if (problems.length > 0) throw invalid(problems.map((p) => `${p.variable}: ${p.message}`));
  const settings = list.map((p) => [p, p.settings.build(e)] as const);
  return {
    ...core,
    providers: Object.fromEntries(settings.map(([p, s]) => [p.name, s])),
    secrets: [core.metricsToken, core.adminToken, ...settings.flatMap(([p, s]) => p.settings.secrets(s))].filter(
      (v): v is string => v !== undefined && v !== '',
    ),
  };
}

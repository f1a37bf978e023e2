import type { z } from 'zod';
import type { Config, CoreConfig } from '../config/config';
import type { SettingsProblem } from '../config/env';

/** What a provider's cross-variable checks may read of the core settings. */
export type CoreSettings = Pick<CoreConfig, 'publicBaseUrl'>;

type Parsed<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

interface SettingsSpec<Shape extends z.ZodRawShape, S> {
  /** One zod schema per environment variable, keyed by its name: an error names the variable. */
  env: Shape;
  /** Values that pass every check: what the test harness configures the provider with. */
  exampleEnv: { [K in keyof Shape]?: string };
  /** A check across variables (or with the core settings), run once every variable has parsed. */
  check?(env: Parsed<Shape>, core: CoreSettings): SettingsProblem | undefined;
  /** The parsed variables as the provider reads them. */
  build(env: Parsed<Shape>): S;
  /** Every secret these settings hold, so error text can be scrubbed of them. */
  secrets(settings: S): readonly (string | undefined)[];
  /** Names the receivers this provider replaces read, with the variable Hookport reads instead. */
  notRead?: Readonly<Record<string, string>>;
}

/** A provider's settings declaration, as the configuration loader composes it. */
export interface ProviderSettings<S = unknown> {
  /** The provider these settings belong to: where they are kept in `config.providers`. */
  provider: string;
  env: z.ZodRawShape;
  exampleEnv: Readonly<Record<string, string | undefined>>;
  check?(env: Record<string, unknown>, core: CoreSettings): SettingsProblem | undefined;
  build(env: Record<string, unknown>): S;
  secrets(settings: S): readonly (string | undefined)[];
  notRead?: Readonly<Record<string, string>>;
  /** This provider's settings from a loaded configuration, typed. */
  of(config: Config): S;
}

/** Declares a provider's settings; `of` reads them back, typed, from a loaded Config. */
export function defineSettings<Shape extends z.ZodRawShape, S>(
  provider: string,
  spec: SettingsSpec<Shape, S>,
): ProviderSettings<S> {
  return {
    ...(spec as unknown as Omit<ProviderSettings<S>, 'provider' | 'of'>),
    provider,
    of(config) {
      const settings = config.providers[provider];
      // A Config built without this provider in the registry: a wiring mistake, not an operator's.
      if (settings === undefined)
        throw new Error(`the configuration was loaded without the ${provider} provider's settings`);
      return settings as S;
    },
  };
}

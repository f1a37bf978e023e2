import type { z } from 'zod';
import { int, type SettingsProblem } from '../config/env';
import type { AnyProvider } from './provider';

const MAX = 100 * 1024 * 1024;

/** The variable that overrides one provider's body limit: `<NAME>_MAX_BODY_BYTES`, the name upper-cased. */
export const bodyLimitVariable = (provider: string): string =>
  `${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_MAX_BODY_BYTES`;

/** One optional variable per registered provider (0 as the fallback stands for "not set"). */
export function bodyLimitEnv(providers: readonly AnyProvider[]): z.ZodRawShape {
  return Object.fromEntries(providers.map((p) => [bodyLimitVariable(p.name), int(1, MAX, 0)]));
}

/**
 * The largest body each provider accepts: MAX_BODY_BYTES, or the provider's documented maximum when
 * lower; `<PROVIDER>_MAX_BODY_BYTES` overrides either.
 */
export function bodyLimitsOf(
  env: Record<string, unknown>,
  providers: readonly AnyProvider[],
  maxBodyBytes: number,
): Record<string, number> {
  return Object.fromEntries(
    providers.map((p) => {
      const override = env[bodyLimitVariable(p.name)] as number;
      return [p.name, override > 0 ? override : Math.min(p.maxBodyBytes ?? maxBodyBytes, maxBodyBytes)];
    }),
  );
}

/** A provider's limit over INGEST_MAX_BUFFERED_BYTES could never be received in full. */
export function bodyLimitProblems(
  env: Record<string, unknown>,
  limits: Record<string, number>,
  ingestMaxBufferedBytes: number,
): SettingsProblem[] {
  return Object.entries(limits)
    .filter(([name, limit]) => (env[bodyLimitVariable(name)] as number) > 0 && limit > ingestMaxBufferedBytes)
    .map(([name]) => ({
      variable: bodyLimitVariable(name),
      message: 'must not exceed INGEST_MAX_BUFFERED_BYTES (else a body at the limit could never be received)',
    }));
}

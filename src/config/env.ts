import { z } from 'zod';

/**
 * Building blocks for environment variable schemas, shared by the core settings (config.ts) and
 * every provider's own (providers/<name>/settings.ts), so each variable is read the same way.
 */

export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A comma-separated list (secret rotation); blanks dropped; empty list means "not configured". */
export const secretList = optionalText.transform((v) =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
);

export const int = (min: number, max: number, fallback: number) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional()
      .transform((v) => v ?? fallback),
  );

export const bool = (fallback: boolean) =>
  optionalText.pipe(
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
      .optional()
      .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v))),
  );

/** An http(s) URL without trailing slashes, or undefined when unset. */
export const httpUrl = optionalText.pipe(
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .transform((v) => v?.replace(/\/+$/, '')),
);

/** A problem found by a check across several variables; `variable` is the one to fix. */
export interface SettingsProblem {
  variable: string;
  message: string;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `500ms`, `5s`, `30m`, `2h` or `5d`, in milliseconds. */
export const durationSchema = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 5s, 30m, 2h or 5d')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(v)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

/** A comma-separated list of durations (`5s,5m,30m`), at least one. */
export const durationListSchema = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()))
  .pipe(z.array(durationSchema).min(1, 'must list at least one duration'));

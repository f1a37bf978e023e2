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
  v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== ''),
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

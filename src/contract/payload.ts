import { z } from 'zod';
import { PayloadError } from '../errors/hookport-error';
import { notValidJson } from '../text/json-error';

/** JSON.parse of a verified body; a body that is not JSON is a PayloadError (dead-lettered). */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new PayloadError(`body is ${notValidJson(err)}`);
  }
}

/** Validates with a provider's zod schema; the PayloadError names every failing field. */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const reasons = result.error.issues.map(
    (i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`,
  );
  throw new PayloadError(reasons.join('; '));
}

/** An ISO 8601 date-time as providers send it: with an offset (or Z), or without one (read as UTC). */
export const isoDateTime = z.iso.datetime({ offset: true, local: false }).or(z.iso.datetime());

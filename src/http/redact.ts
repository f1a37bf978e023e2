/** Headers that carry credentials for any provider or proxy. */
const ALWAYS_REDACTED = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

export const REDACTED = '[redacted]';

/** Flattens request headers for storage, replacing every credential-bearing value. */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  credentialHeaders: readonly string[],
): Record<string, string> {
  const secret = new Set([...ALWAYS_REDACTED, ...credentialHeaders.map((h) => h.toLowerCase())]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = secret.has(lower) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

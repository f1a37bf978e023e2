import type { Config } from '../config/config';

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

/** Shorter strings are not worth hiding, and replacing them would garble every message. */
const MIN_SECRET_LENGTH = 4;

/** Token shapes hidden even when not named: a bearer credential, a JWT, an OAuth token or secret field. */
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic|bearer)\s+[\w.~+/=-]{8,}/g, `$1 ${REDACTED}`],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED],
  [
    /\b(access_token|refresh_token|id_token|client_secret|password)(["']?\s*[:=]\s*["']?)[^"'&\s,;}<]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/**
 * `text` with every given secret, as is, URL-encoded or JSON-escaped, and every token-shaped
 * string replaced by `[redacted]`: for error text a provider sent back (which may echo what it was
 * sent) before it reaches a log, a stored error or an operator.
 */
export function scrubSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  let scrubbed = [...forms].sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join(REDACTED), text);
  for (const [pattern, replacement] of TOKEN_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/** Every secret the configuration holds, for scrubSecrets. */
export function configuredSecrets(config: Config): string[] {
  return [...config.secrets];
}

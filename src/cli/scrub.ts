import type { Config } from '../config/config';

/** Text with every configured secret (and the given extras, e.g. a database URL) replaced by `[redacted]`. */
export function scrub(text: string, config: Config, extra: readonly string[] = []): string {
  const secrets = [...config.secrets, ...extra, ...extra.map(passwordOf)].filter(
    (s): s is string => Boolean(s) && s!.length >= 4,
  );
  return secrets.sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join('[redacted]'), text);
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

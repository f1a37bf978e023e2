import type { Source } from './store';
import type { StoredVerification } from './verification';

/** A source's name: its route's last segment, `/webhooks/sources/<name>`. */
export const SOURCE_NAME = /^[a-z0-9-]{1,40}$/;

/** Where a source's sender posts: the path, after PUBLIC_BASE_URL when that is set. */
export const sourcePath = (name: string): string => `/webhooks/sources/${name}`;
export const sourceUrl = (name: string, publicBaseUrl: string | null | undefined): string =>
  `${publicBaseUrl ? publicBaseUrl.replace(/\/+$/, '') : ''}${sourcePath(name)}`;

/** A source as every answer, page and list shows it: its parameters, never a secret. */
export interface ShownSource {
  name: string;
  url: string;
  verification: StoredVerification;
  /** How many secrets it accepts (more than one while rotating). */
  secretCount: number;
  eventTypePath: string | null;
  dedupeHeader: string | null;
  schema: Record<string, unknown> | null;
  enabled: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export function shownSource(source: Source, publicBaseUrl: string | null | undefined): ShownSource {
  return {
    name: source.name,
    url: sourceUrl(source.name, publicBaseUrl),
    verification: source.verification,
    secretCount: source.secrets.length,
    eventTypePath: source.eventTypePath,
    dedupeHeader: source.dedupeHeader,
    schema: source.schema,
    enabled: source.enabled,
    description: source.description,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}

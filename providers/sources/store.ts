import { asc, eq, sql } from 'drizzle-orm';
import {
  ConflictError,
  SecretUnreadableError,
  type Config,
  type Executor,
  type SealedColumn,
  sealedLabel,
} from '../../src/provider';
import { sources } from './tables';
import type { StoredVerification } from './verification';

/** The secret list's column, sealed with HOOKPORT_ENCRYPTION_KEY (declared for re-encryption). */
export const SECRETS: SealedColumn = { table: 'sources', key: 'name', column: 'secrets' };

/** A source as stored, its secrets opened. Never answered as is: see shownSource. */
export interface Source {
  name: string;
  verification: StoredVerification;
  /** Newest first; the first one signs a sample. */
  secrets: string[];
  eventTypePath: string | null;
  dedupeHeader: string | null;
  schema: Record<string, unknown> | null;
  enabled: boolean;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set when no configured key opens its secrets (then `secrets` is empty): why, naming the variable. */
  unreadable?: SecretUnreadableError;
}

export type NewSource = Omit<Source, 'createdAt' | 'updatedAt' | 'unreadable'>;
/** What a change may set; the name stays. */
export type SourceChange = Partial<Omit<NewSource, 'name'>>;

type Row = typeof sources.$inferSelect;

const sealedSecrets = (config: Config, secrets: readonly string[]) =>
  config.secretBox.seal(sealedLabel(SECRETS), JSON.stringify(secrets));

/** A row's secrets, opened (SecretUnreadableError when no configured key opens them). */
function opened(config: Config, row: Row): Source {
  try {
    const secrets = JSON.parse(config.secretBox.open(sealedLabel(SECRETS), row.secrets)) as string[];
    return { ...row, secrets };
  } catch (err) {
    if (!(err instanceof SecretUnreadableError)) throw err;
    return { ...row, secrets: [], unreadable: err };
  }
}

/** Stores a new source; ConflictError when the name is taken. */
export async function insertSource(config: Config, db: Executor, source: NewSource): Promise<Source> {
  const [row] = await db
    .insert(sources)
    .values({ ...source, secrets: sealedSecrets(config, source.secrets) })
    .onConflictDoNothing({ target: sources.name })
    .returning();
  if (!row) throw new ConflictError(`a source named "${source.name}" already exists`);
  return { ...row, secrets: source.secrets };
}

/** Every source, by name, secrets opened. */
export async function listSources(config: Config, db: Executor): Promise<Source[]> {
  const rows = await db.select().from(sources).orderBy(asc(sources.name));
  return rows.map((row) => opened(config, row));
}

/** The source of that name, or null. */
export async function findSource(config: Config, db: Executor, name: string): Promise<Source | null> {
  const [row] = await db.select().from(sources).where(eq(sources.name, name));
  return row ? opened(config, row) : null;
}

/** Applies a change; null when there is no such source. */
export async function updateSource(
  config: Config,
  db: Executor,
  name: string,
  change: SourceChange,
): Promise<Source | null> {
  const { secrets, ...plain } = change;
  const [row] = await db
    .update(sources)
    .set({
      ...plain,
      ...(secrets ? { secrets: sealedSecrets(config, secrets) } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(sources.name, name))
    .returning();
  return row ? opened(config, row) : null;
}

/** Removes it (its received events stay in the inbox); false when there was none. */
export async function deleteSource(db: Executor, name: string): Promise<boolean> {
  const deleted = await db.delete(sources).where(eq(sources.name, name)).returning({ name: sources.name });
  return deleted.length > 0;
}

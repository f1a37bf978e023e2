import {
  errorMessage,
  VerificationError,
  type SecretUnreadableError,
  type Db,
  type InstanceDirectory,
  type ProviderDeps,
  type ProviderInstance,
} from '../../src/provider';
import { eventTypesOf } from './event-types';
import { identifySource } from './identify';
import { listSources, type Source } from './store';
import { createSourceVerifier } from './verification';

/**
 * How old the sources a request is checked against may be: a change made on another instance
 * takes effect here within this time. One read of a small table per interval, at most.
 */
export const SOURCES_REFRESH_MS = 2_000;
/** After a failed read, the last good one serves this long before the next try. */
const RETRY_MS = 500;

export interface SourceDirectory extends InstanceDirectory {
  /** A source was created, changed or deleted here: the next request reads the table again. */
  changed(): void;
}

/** A source as the request path uses it: its verifier built once per read of the table. */
function instanceOf(source: Source): ProviderInstance {
  let verifier;
  try {
    verifier = createSourceVerifier(source.verification, source.secrets);
  } catch (err) {
    // Stored parameters this version no longer accepts: refused until the operator sets new ones.
    const refuse = () => {
      throw new VerificationError(
        `the source cannot verify requests (${errorMessage(err)}); set its verification again`,
      );
    };
    verifier = { credentialHeaders: [], precheck: refuse, verify: refuse };
  }
  return {
    name: source.name,
    enabled: source.enabled,
    credentialHeaders: verifier.credentialHeaders,
    precheck: (head) => verifier.precheck(head),
    verify: (request) => verifier.verify(request),
    identify: (request) => identifySource(source, request),
    eventTypes: eventTypesOf(source),
  };
}

/** A source whose secrets no configured key opens: it answers 503, naming the variable. */
function unreadable(name: string, enabled: boolean, err: SecretUnreadableError): ProviderInstance {
  const refuse = () => {
    throw err;
  };
  return { name, enabled, credentialHeaders: [], precheck: refuse, verify: refuse, identify: refuse, eventTypes: [] };
}

class CachedDirectory implements SourceDirectory {
  #instances: readonly ProviderInstance[] = [];
  #readAt = -Infinity;
  #reading: Promise<readonly ProviderInstance[]> | null = null;

  constructor(private readonly deps: ProviderDeps) {}

  current(): Promise<readonly ProviderInstance[]> {
    if (performance.now() - this.#readAt < SOURCES_REFRESH_MS) return Promise.resolve(this.#instances);
    this.#reading ??= this.#read().finally(() => (this.#reading = null));
    return this.#reading;
  }

  last(): readonly ProviderInstance[] {
    if (performance.now() - this.#readAt >= SOURCES_REFRESH_MS) void this.current().catch(() => {});
    return this.#instances;
  }

  changed(): void {
    this.#readAt = -Infinity;
  }

  async #read(): Promise<readonly ProviderInstance[]> {
    const started = performance.now();
    try {
      const sources = await listSources(this.deps.config, this.deps.db);
      this.#instances = sources.map((s) =>
        s.unreadable ? unreadable(s.name, s.enabled, s.unreadable) : instanceOf(s),
      );
      this.#readAt = started;
      return this.#instances;
    } catch (err) {
      if (this.#readAt === -Infinity) throw err;
      this.deps.logger.warn('could not read the sources; using the last read', { error: errorMessage(err) });
      this.#readAt = started - SOURCES_REFRESH_MS + RETRY_MS;
      return this.#instances;
    }
  }
}

const directories = new WeakMap<Db, CachedDirectory>();

/** The directory of this database's sources: one per database handle, so each Hookport keeps its own. */
export function sourceDirectory(deps: ProviderDeps): SourceDirectory {
  let directory = directories.get(deps.db);
  if (!directory) directories.set(deps.db, (directory = new CachedDirectory(deps)));
  return directory;
}

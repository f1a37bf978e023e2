import { audited, type AuditBy, NotFoundError, type ProviderDeps } from '../../src/provider';
import { sourceDirectory } from './directory';
import type { CreateSourceBody, UpdateSourceBody } from './schemas';
import { shownSource, type ShownSource } from './shown';
import { deleteSource, insertSource, updateSource, type SourceChange } from './store';
import { settleVerification, type StoredVerification } from './verification';

/** A source as an answer shows it after a change: with the generated secret, that one time. */
export type ChangedSource = ShownSource & { secret?: string };

/** The kind of a verification, as the audit log, the console and the CLI name it: `hmac (github)`. */
export const kindOf = (v: StoredVerification): string =>
  'preset' in v && v.preset ? `${v.type} (${v.preset})` : v.type;

const noSource = (name: string) => new NotFoundError(`no source named "${name}"`);

const withSecret = (shown: ShownSource, generated: string | undefined): ChangedSource =>
  generated === undefined ? shown : { ...shown, secret: generated };

/**
 * Creating, changing and deleting sources: each one audited in the transaction of its change, and
 * the directory told at once so this Hookport uses it for the next request.
 */
export function sourceManager(deps: ProviderDeps) {
  const { config, db } = deps;
  const shown = (source: Parameters<typeof shownSource>[0]) => shownSource(source, config.publicBaseUrl);
  const changed = () => sourceDirectory(deps).changed();

  return {
    async create(body: CreateSourceBody, by: AuditBy): Promise<ChangedSource> {
      const settled = settleVerification(body.verification);
      const source = await audited(
        db,
        (tx) =>
          insertSource(config, tx, {
            name: body.name,
            verification: settled.verification,
            secrets: settled.secrets,
            eventTypePath: body.eventTypePath ?? null,
            dedupeHeader: body.dedupeHeader ?? settled.dedupeHeader ?? null,
            schema: body.schema ?? null,
            enabled: body.enabled,
            description: body.description ?? null,
          }),
        (s) => ({
          by,
          action: 'source.created',
          target: s.name,
          detail: {
            kind: kindOf(s.verification),
            secrets: s.secrets.length,
            generated: settled.generated !== undefined,
          },
        }),
      );
      changed();
      return withSecret(shown(source), settled.generated);
    },

    async update(name: string, body: UpdateSourceBody, by: AuditBy): Promise<ChangedSource> {
      const { verification, ...plain } = body;
      const settled = verification ? settleVerification(verification) : undefined;
      const change: SourceChange = { ...plain };
      if (settled) {
        change.verification = settled.verification;
        change.secrets = settled.secrets;
        if (!('dedupeHeader' in body) && settled.dedupeHeader) change.dedupeHeader = settled.dedupeHeader;
      }
      const source = await audited(
        db,
        (tx) => updateSource(config, tx, name, change),
        (s) =>
          s && {
            by,
            action: 'source.updated',
            target: name,
            detail: {
              fields: Object.keys(body).sort(),
              ...(settled ? { kind: kindOf(settled.verification), generated: settled.generated !== undefined } : {}),
              ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
            },
          },
      );
      if (!source) throw noSource(name);
      changed();
      return withSecret(shown(source), settled?.generated);
    },

    async remove(name: string, by: AuditBy): Promise<void> {
      const deleted = await audited(
        db,
        (tx) => deleteSource(tx, name),
        (done) => (done ? { by, action: 'source.deleted', target: name } : null),
      );
      if (!deleted) throw noSource(name);
      changed();
    },
  };
}

import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { createLogger } from '../../src/log/logger';
import { redactHeaders } from '../../src/http/redact';
import type { Normalized, AnyProvider } from '../../src/contract/provider';
import { DeferError, PayloadError } from '../../src/errors/hookport-error';
import { storableNormalized } from '../../src/records/storable-change';
import { storableDeep } from '../../src/text/storable-text';
import { suiteHarness } from '../helpers/suite';
import { FIXED_PROVIDERS, signedRequests } from './arbitraries';
import { isStorableKey, throwsOnly, unstorableStrings } from './context';

/**
 * Genuine requests with hostile content on the embedded database (issue 7). Normalizing fails
 * only with PayloadError or DeferError, and what a normalizer emits, made storable as the worker
 * does, carries no NUL or lone surrogate anywhere and keys that fit an index. Through HTTP, every
 * such request is answered 200, stored, and settled by the worker (processed, ignored or dead;
 * never failed because the database refused a row).
 */
const KEY_FIELDS = ['externalId', 'conversationId', 'accountId', 'businessId', 'clientExternalId'];

describe('genuine requests on the embedded database, properties', () => {
  // Jobber's normalizer reads the row it would change: it needs the tables even when empty.
  const h = suiteHarness('pglite');
  const logger = createLogger('error', true);

  describe.each(FIXED_PROVIDERS)('%s', (name) => {
    // Generic over the payload, as the worker sees a provider.
    const provider: AnyProvider = providers[name]!;

    it('parse and normalize of any genuine body throw only PayloadError or DeferError; the storable output is clean', async () => {
      await fc.assert(
        fc.asyncProperty(signedRequests[name], async (request) => {
          const headers = redactHeaders(request.headers, provider.credentialHeaders);
          let output: Normalized | undefined;
          await throwsOnly([PayloadError, DeferError], async () => {
            const payload = storableDeep(provider.parse(request.body, headers));
            const normalized = await provider.normalize(payload, {
              id: '00000000-0000-4000-8000-000000000000',
              eventType: 'property',
              receivedAt: new Date(),
              headers,
              requestPath: request.url,
              config: h.config,
              db: h.runtime.database.db,
              logger,
            });
            output = storableNormalized(normalized);
          });
          if (!output) return;
          expect(unstorableStrings(output)).toEqual([]);
          for (const event of 'events' in output ? output.events : []) {
            expect(isStorableKey(event.type)).toBe(true);
            for (const change of [event.record ?? {}, ...(event.also ?? [])]) {
              const record = change as Record<string, unknown>;
              for (const field of KEY_FIELDS)
                if (typeof record[field] === 'string') expect(isStorableKey(record[field] as string)).toBe(true);
            }
          }
        }),
        { numRuns: 60 },
      );
    });

    it('is answered 200, stored byte for byte, and settled by the worker', async () => {
      await fc.assert(
        fc.asyncProperty(signedRequests[name], async (request) => {
          // Fixtures share ids: an earlier run's copy would make this one a duplicate, not stored again.
          await h.rows(sql`truncate webhook_events`);
          // As text: superagent would send a Buffer as JSON. Signed bodies are built from text, so the bytes are the
          // same.
          const res = await h.http().post(request.url).set(request.headers).send(request.body.toString('utf8'));
          expect(res.status).toBe(200);
          await h.drain();
          const rows = await h.rows<{ status: string }>(
            sql`select status from webhook_events where body = ${request.body}::bytea`,
          );
          expect(rows.length).toBeGreaterThan(0);
          for (const row of rows) expect(['processed', 'ignored', 'dead']).toContain(row.status);
        }),
        { numRuns: 12 },
      );
    });
  });
});

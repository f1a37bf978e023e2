import fc from 'fast-check';
import { providers } from '../../providers';
import { storableEvent } from '../../src/inbox/append';
import { redactHeaders } from '../../src/http/redact';
import type { RawRequest } from '../../src/contract/provider';
import { VerificationError } from '../../src/errors/hookport-error';
import { arbitraryRequest, FIXED_PROVIDERS, signedRequests, tamperedRequest } from './arbitraries';
import { config, isStorableKey, throwsOnly, unstorableStrings } from './context';

/**
 * The request path under arbitrary input (issue 7): a verifier only ever refuses with
 * VerificationError (anything else would be a 500 before authentication), an identifier never
 * throws, and every request a provider really signs verifies and is storable as it will be stored.
 */
describe.each(FIXED_PROVIDERS)('%s request path, properties', (name) => {
  const provider = providers[name]!;
  const verify = provider.createVerifier(config)!;
  const anything = fc.oneof(arbitraryRequest, tamperedRequest(signedRequests[name]));

  it('the verifier accepts or throws VerificationError, for any bytes, headers and path', async () => {
    await fc.assert(
      fc.asyncProperty(anything, (request: RawRequest) => throwsOnly([VerificationError], () => verify(request))),
      { numRuns: 150 },
    );
  });

  it('the identifier never throws, for any bytes, headers and path', () => {
    fc.assert(
      fc.property(fc.oneof(anything, signedRequests[name]), (request) => {
        provider.identify(request);
      }),
      { numRuns: 150 },
    );
  });

  it('a request signed as the provider signs it verifies, and its event type, dedupe key and headers are storable', () => {
    fc.assert(
      fc.property(signedRequests[name], (request) => {
        verify(request);
        const event = storableEvent({
          provider: name,
          ...provider.identify(request),
          headers: redactHeaders(request.headers, provider.credentialHeaders),
          body: request.body,
        });
        expect(isStorableKey(event.eventType)).toBe(true);
        expect(isStorableKey(event.dedupeKey)).toBe(true);
        expect(unstorableStrings(event.headers)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

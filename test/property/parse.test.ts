import fc from 'fast-check';
import { providers, type RegisteredProviderName } from '../../providers';
import { redactHeaders } from '../../src/http/redact';
import type { AnyProvider } from '../../src/contract/provider';
import { PayloadError } from '../../src/errors/hookport-error';
import { arbitraryRequest } from './arbitraries';
import { throwsOnly } from './context';

/**
 * The worker's parse under arbitrary bytes and headers (issue 7): a bad body is a PayloadError (dead-lettered), nothing
 * else.
 */
describe.each(Object.keys(providers) as RegisteredProviderName[])('%s parse, properties', (name) => {
  const provider: AnyProvider = providers[name]!;

  it('throws nothing but PayloadError, for any bytes and headers', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRequest, (request) =>
        throwsOnly([PayloadError], () => provider.parse(request.body, redactHeaders(request.headers, []))),
      ),
      { numRuns: 150 },
    );
  });
});

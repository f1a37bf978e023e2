import { z } from 'zod';
import { InvalidRequestError } from '../../errors/hookport-error';
import type { Db } from '../../db/client';
import { addressFromQuery } from '../../records/addresses';
import { listSuppressions, lookupSuppression } from '../../records/suppression-list';
import { route, type AdminRoute } from '../../contract/admin-route';
import { suppressionLookupSchema, suppressionPageSchema, suppressionsQuerySchema } from './suppression-schemas';

/** The suppression list: one address's answer, or the list of suppressed addresses. */
export function suppressionRoutes({ db }: { db: Db }): AdminRoute[] {
  return [
    route({
      method: 'get',
      path: '/suppressions',
      summary: 'May this address be messaged (channel and address), or the suppressed addresses, newest first',
      query: suppressionsQuerySchema,
      responses: {
        200: {
          description: 'with address: the lookup; without: a page of the list',
          schema: z.union([suppressionLookupSchema, suppressionPageSchema]),
        },
      },
      async handle({ query }) {
        const { channel, address, state, limit, cursor } = query;
        if (address === undefined)
          return { status: 200, body: await listSuppressions(db, { channel, state, limit, cursor }) };
        const normalized = addressFromQuery(channel!, address);
        if (normalized === null) {
          const what = channel === 'email' ? 'an email address' : 'a phone number';
          throw new InvalidRequestError(`query: address: not ${what}`);
        }
        return { status: 200, body: await lookupSuppression(db, channel!, normalized) };
      },
    }),
  ];
}

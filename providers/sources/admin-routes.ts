import { z } from 'zod';
import { type AdminRoute, errorAnswerSchema, NotFoundError, type ProviderDeps, route } from '../../src/provider';
import { sourceManager } from './manage';
import {
  changedSourceSchema,
  createSourceBodySchema,
  shownSourceSchema,
  sourceListSchema,
  sourceParamsSchema,
  updateSourceBodySchema,
} from './schemas';
import { shownSource } from './shown';
import { findSource, listSources } from './store';

const notFound = { 404: { description: 'no source of that name', schema: errorAnswerSchema } };
const refused = {
  400: {
    description: 'invalid_request: a bad name, an unverified or malformed verification, a bad path, header or schema',
    schema: errorAnswerSchema,
  },
};

/** /admin/api/sources: the senders an operator adds at run time (contract: "Sources"). */
export function sourceAdminRoutes(deps: ProviderDeps): AdminRoute[] {
  const { config, db } = deps;
  const manager = sourceManager(deps);
  return [
    route({
      method: 'post',
      path: '',
      summary: 'Create a source; the answer carries the secret Hookport generated, if any, this once',
      body: createSourceBodySchema,
      responses: {
        201: { description: 'created', schema: changedSourceSchema },
        ...refused,
        409: { description: 'conflict: a source of that name exists', schema: errorAnswerSchema },
      },
      async handle({ body, by }) {
        return { status: 201, body: await manager.create(body, by) };
      },
    }),
    route({
      method: 'get',
      path: '',
      summary: 'Every source, by name (never a secret)',
      responses: { 200: { description: 'the sources', schema: sourceListSchema } },
      async handle() {
        const sources = await listSources(config, db);
        return { status: 200, body: { sources: sources.map((s) => shownSource(s, config.publicBaseUrl)) } };
      },
    }),
    route({
      method: 'get',
      path: '/:name',
      summary: 'One source (never a secret)',
      params: sourceParamsSchema,
      responses: { 200: { description: 'the source', schema: shownSourceSchema }, ...notFound },
      async handle({ params }) {
        const source = await findSource(config, db, params.name);
        if (!source) throw new NotFoundError(`no source named "${params.name}"`);
        return { status: 200, body: shownSource(source, config.publicBaseUrl) };
      },
    }),
    route({
      method: 'patch',
      path: '/:name',
      summary:
        'Change what is given of a source; a new verification replaces its secrets (a generated one is in the answer, once)',
      params: sourceParamsSchema,
      body: updateSourceBodySchema,
      responses: { 200: { description: 'the changed source', schema: changedSourceSchema }, ...refused, ...notFound },
      async handle({ params, body, by }) {
        return { status: 200, body: await manager.update(params.name, body, by) };
      },
    }),
    route({
      method: 'delete',
      path: '/:name',
      summary: 'Delete a source: its URL answers 404 from now on; the events it sent stay',
      params: sourceParamsSchema,
      responses: { 204: { description: 'deleted', schema: z.object({}).strict() }, ...notFound },
      async handle({ params, by }) {
        await manager.remove(params.name, by);
        return { status: 204, body: {} };
      },
    }),
  ];
}

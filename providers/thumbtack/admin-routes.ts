import { z } from 'zod';
import { type AdminRoute, audited, errorAnswerSchema, type ProviderDeps, route } from '../../src/provider';
import { connectionStatus, disconnect } from './oauth/tokens';
import { setupReport } from './setup';
import { managementToken } from './token';
import { thumbtackWebhooks } from './webhooks';

const businessId = z.string().regex(/^[0-9A-Za-z_-]{1,40}$/, 'a Thumbtack business ID');
const webhookParams = z.object({ webhookId: z.string().regex(/^[0-9A-Za-z_-]{1,40}$/) }).strict();
const businessQuery = z.object({ businessId }).strict();
const changeBody = z
  .object({
    businessId,
    url: z.url().optional().describe('default: PUBLIC_BASE_URL + /webhooks/thumbtack'),
    eventTypes: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

const webhookSchema = z
  .object({
    webhookId: z.string(),
    url: z.string().nullable(),
    enabled: z.boolean(),
    authType: z.string().nullable().describe('None, Basic or CustomHeader; Thumbtack never returns a password'),
    eventTypes: z.array(z.string()),
    pointsHere: z.boolean().describe("its URL is this Hookport's"),
  })
  .meta({ id: 'ThumbtackWebhook' });

const businessSchema = z.object({ businessId: z.string(), name: z.string().nullable() });
const connectionSchema = z
  .object({
    connected: z.boolean(),
    tokenSource: z.enum(['connected account', 'THUMBTACK_ACCESS_TOKEN']).nullable().describe('the token in use'),
    businesses: z.array(businessSchema),
    connectedAt: z.iso.datetime({ offset: true }).nullable(),
    tokenExpiresAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'ThumbtackConnection' });
const setupSchema = z.object({
  tokenSource: z.enum(['connected account', 'THUMBTACK_ACCESS_TOKEN']).nullable(),
  businesses: z.array(
    businessSchema.extend({
      state: z.enum(['ok', 'other_credentials', 'no_credentials', 'not_here', 'unknown']),
      webhookId: z.string().nullable(),
      message: z.string(),
    }),
  ),
});

const thumbtackErrors = {
  502: { description: "Thumbtack's API answered other than 2xx", schema: errorAnswerSchema },
  503: { description: 'no Thumbtack token (or no webhook credentials) configured', schema: errorAnswerSchema },
};
const t = (d: Date | null) => (d ? d.toISOString() : null);

/** /admin/api/thumbtack/…: the webhooks of a business at Thumbtack, and the OAuth connection. */
export function thumbtackAdminRoutes({ config, db }: ProviderDeps): AdminRoute[] {
  const webhooks = thumbtackWebhooks(config, db);
  return [
    route({
      method: 'get',
      path: '/webhooks',
      summary: "A business's Thumbtack webhooks, as Thumbtack lists them",
      query: businessQuery,
      responses: {
        200: { description: 'the webhooks', schema: z.object({ webhooks: z.array(webhookSchema) }) },
        ...thumbtackErrors,
      },
      async handle({ query }) {
        return { status: 200, body: { webhooks: await webhooks.list(query.businessId) } };
      },
    }),
    route({
      method: 'post',
      path: '/webhooks',
      summary: "Register a Thumbtack webhook, with Hookport's Basic credentials",
      body: changeBody,
      responses: { 201: { description: 'the created webhook', schema: webhookSchema }, ...thumbtackErrors },
      async handle({ body, by }) {
        const { businessId: business, ...change } = body;
        return { status: 201, body: await webhooks.create(business, change, by) };
      },
    }),
    route({
      method: 'patch',
      path: '/webhooks/:webhookId',
      summary: "Change what is given of a Thumbtack webhook; Hookport's credentials are sent again",
      params: webhookParams,
      body: changeBody,
      responses: { 200: { description: 'the updated webhook', schema: webhookSchema }, ...thumbtackErrors },
      async handle({ params, body, by }) {
        const { businessId: business, ...change } = body;
        return { status: 200, body: await webhooks.update(business, params.webhookId, change, by) };
      },
    }),
    route({
      method: 'delete',
      path: '/webhooks/:webhookId',
      summary: 'Delete a Thumbtack webhook',
      params: webhookParams,
      query: businessQuery,
      responses: { 204: { description: 'deleted', schema: z.object({}).strict() }, ...thumbtackErrors },
      async handle({ params, query, by }) {
        await webhooks.remove(query.businessId, params.webhookId, by);
        return { status: 204, body: {} };
      },
    }),
    route({
      method: 'get',
      path: '/connection',
      summary: 'The Thumbtack account connected by OAuth, and which token webhook management uses',
      responses: { 200: { description: 'the connection', schema: connectionSchema } },
      async handle() {
        const status = await connectionStatus(db);
        const token = await managementToken(config, db).catch(() => null);
        return {
          status: 200,
          body: {
            connected: status.connected,
            tokenSource: token?.source ?? null,
            businesses: status.businesses,
            connectedAt: t(status.connectedAt),
            tokenExpiresAt: t(status.tokenExpiresAt),
          },
        };
      },
    }),
    route({
      method: 'delete',
      path: '/connection',
      summary: "Disconnect the Thumbtack account: its tokens are deleted (Thumbtack's webhooks stay)",
      responses: {
        200: { description: 'whether an account was connected', schema: z.object({ disconnected: z.boolean() }) },
      },
      async handle({ by }) {
        const disconnected = await audited(db, disconnect, (done) =>
          done ? { by, action: 'thumbtack.disconnect' } : null,
        );
        return { status: 200, body: { disconnected } };
      },
    }),
    route({
      method: 'get',
      path: '/setup',
      summary: "For each connected business: whether a webhook points here with Hookport's credentials",
      responses: { 200: { description: 'the setup check', schema: setupSchema }, ...thumbtackErrors },
      async handle() {
        return { status: 200, body: await setupReport(config, db) };
      },
    }),
  ];
}

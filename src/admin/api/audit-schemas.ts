import { z } from 'zod';

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime({ offset: true }),
    actor: z.string().describe('console, admin-api, metrics, or a provider reporting an action itself'),
    address: z.string().nullable().describe('the client address (TRUST_PROXY decides whose)'),
    action: z.string().describe('a dotted name, e.g. subscription.secret_reveal (docs/admin-api.md lists them)'),
    target: z.string().nullable().describe('the id acted on'),
    detail: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('what changed (field names, counts), never a secret; `session` names a console session'),
  })
  .meta({ id: 'AuditEntry' });

export const auditPageSchema = z
  .object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });

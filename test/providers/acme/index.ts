import { createHmac } from 'node:crypto';
import { z } from 'zod';
import {
  compileUpsert,
  keepingGiven,
  parseJsonBody,
  parseWithSchema,
  type Provider,
  sha256Key,
  signaturesEqual,
  snapshotOf,
  VerificationError,
  withoutKind,
} from '../../../src/provider';
import type { WidgetChange } from './changes';
import { acmeSettings } from './settings';
import { widgets } from './tables';
import { widgetView } from './view';

/**
 * A fifth provider that exists only in the test tree, to show that adding one is this folder plus
 * one registry line: Acme signs the body with HMAC-SHA256 (hex) in `X-Acme-Signature` and sends
 * `{"id","type":"widget.updated","widget":{"id","name","color","revision"}}`.
 */
export const ACME_SIGNATURE = 'x-acme-signature';

export const signAcme = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

const eventSchema = z.object({
  id: z.string().min(1),
  type: z.literal('widget.updated'),
  widget: z.object({
    id: z.string().min(1),
    name: z.string(),
    color: z.string().optional(),
    revision: z.number().int(),
  }),
});
type AcmeEvent = z.infer<typeof eventSchema>;

const upsertWidget = compileUpsert(widgets, keepingGiven(widgets));

export const acmeProvider: Provider<AcmeEvent, WidgetChange['kind']> = {
  name: 'acme',
  settings: acmeSettings,
  requiredEnv: 'ACME_WEBHOOK_SECRET',
  credentialHeaders: [ACME_SIGNATURE],
  createVerifier(config) {
    const { secrets } = acmeSettings.of(config);
    if (secrets.length === 0) return null;
    return ({ body, headers }) => {
      const given = headers[ACME_SIGNATURE] ?? '';
      if (!secrets.some((secret) => signaturesEqual(given, signAcme(secret, body.toString('utf8'))))) {
        throw new VerificationError('X-Acme-Signature does not match the body');
      }
    };
  },
  identify({ body }) {
    try {
      const { id, type } = JSON.parse(body.toString('utf8')) as { id?: unknown; type?: unknown };
      return {
        eventType: typeof type === 'string' ? type : 'unknown',
        dedupeKey: typeof id === 'string' ? id : sha256Key(body),
      };
    } catch {
      return { eventType: 'unknown', dedupeKey: sha256Key(body) };
    }
  },
  eventTypes: [
    {
      type: 'widget.updated',
      description: 'An Acme widget was created or changed. `data.object` is its `acme_widgets` row.',
      recordKind: 'acme_widget',
    },
  ],
  parse: (body) => parseWithSchema(eventSchema, parseJsonBody(body)),
  normalize: ({ type, widget }) => ({
    events: [
      {
        type,
        occurredAt: null,
        record: {
          kind: 'acme_widget',
          provider: 'acme',
          externalId: widget.id,
          name: widget.name,
          color: widget.color,
          revision: widget.revision,
        },
      },
    ],
  }),
  records: {
    acme_widget: async (tx, changes) => ({
      snapshots: (await upsertWidget(tx, withoutKind(changes))).map((w) => snapshotOf(widgetView, w)),
    }),
  },
  recordViews: { acme_widget: widgetView },
};

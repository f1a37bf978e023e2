import { sha256Key, type Identity, type RawRequest } from '../../src/provider';
import { parseSourceBody } from './parse';
import type { Source } from './store';

/** The type when the body names none at `eventTypePath`. */
export const DEFAULT_TYPE = 'received';
const TYPE_MAX = 100;

/** The string at a dot path (`event.type`), when it is a string or a number. */
function at(object: Record<string, unknown>, path: string): string | undefined {
  let node: unknown = object;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
}

/** What a sender calls an event, made a canonical type's tail: `Order Created` → `order_created`. */
export function typeWord(text: string | undefined): string {
  const word = (text ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, TYPE_MAX)
    .replace(/[._]+$/, '');
  return word || DEFAULT_TYPE;
}

/**
 * `source.<name>.<type>` and the dedupe key: Standard Webhooks' `webhook-id`, else the source's
 * dedupe header, else the SHA-256 of the raw body (a sender's retry resends the same bytes).
 */
export function identifySource(source: Source, request: RawRequest): Identity {
  const object = source.eventTypePath ? parseSourceBody(request.body, request.headers) : undefined;
  const type = typeWord(object && source.eventTypePath ? at(object, source.eventTypePath) : undefined);
  const header = source.verification.type === 'standard-webhooks' ? 'webhook-id' : source.dedupeHeader?.toLowerCase();
  const given = header ? request.headers[header]?.trim() : undefined;
  return {
    eventType: `source.${source.name}.${type}`,
    dedupeKey: given ? `${header}:${given}` : sha256Key(request.body),
  };
}

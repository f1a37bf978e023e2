/*
 * The subscription forms read into what the admin API's schemas take, and their refusals worded
 * with the forms' labels: so a form is refused exactly as the API would refuse the same request.
 */

import type { Request } from 'express';
import type { SubscriptionRefusal } from '../api/subscription-schemas';
import { field } from './forms';
import type { SubscriptionForm } from './pages/subscriptions';

export const NO_TYPES = 'Event types: give at least one, e.g. lead.created, invoice.* (or * for every event).';

/** The forms' fields by the names the API gives them, as the console labels them. */
const LABELS: Record<string, string> = {
  kind: 'Kind',
  url: 'URL',
  eventTypes: 'Event types',
  description: 'Description',
  signing: 'Signing',
  secret: 'Secret',
  filter: 'Filter',
  eventType: 'Event type',
  payload: 'Payload',
};

export const refusalText = (r: SubscriptionRefusal) => `${LABELS[r.field]}: ${r.problem}`;

/** A schema's first issue, named by its field's label. */
export const problemOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
  const first = issues[0];
  const name = first?.path.length ? (LABELS[String(first.path[0])] ?? String(first.path[0])) : '';
  return first ? `${name ? `${name}: ` : ''}${first.message}` : 'The form could not be read.';
};

/**
 * A JSON textarea: empty is absent (undefined), else the parsed value, or why it is not JSON. The
 * parser's message is kept out (it may quote the text); only where it stopped is named.
 */
export function jsonText(text: string, label: string): { value: unknown } | { error: string } {
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    return {
      error: `${label}: not valid JSON${at === undefined ? '' : ` (near character ${Number(at) + 1})`}; write a JSON object, e.g. {"data": {"object": {"status": "delivered"}}}`,
    };
  }
}

/** The create and edit form as posted (and as it is filled in again when refused). */
export const formOf = (req: Request): SubscriptionForm => ({
  kind: field(req, 'kind') || 'webhook',
  url: field(req, 'url').trim(),
  eventTypes: field(req, 'eventTypes'),
  description: field(req, 'description').trim(),
  signing: field(req, 'signing') || 'standard-webhooks',
  filter: field(req, 'filter'),
});

/** An own secret as typed (never put back in a page); empty is none. */
export const secretOf = (req: Request) => (field(req, 'secret') === '' ? undefined : field(req, 'secret'));

/** The event types field: comma-separated, blanks dropped. */
export const typesOf = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

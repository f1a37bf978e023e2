/** The audit actions Thumbtack records: changes to its webhooks at Thumbtack's API. */
export const THUMBTACK_AUDIT_ACTIONS = {
  'thumbtack.webhook_create': 'an operator created a Thumbtack webhook (business, event types; never its password)',
  'thumbtack.webhook_update': 'an operator changed a Thumbtack webhook (enabled or disabled)',
  'thumbtack.webhook_delete': 'an operator deleted a Thumbtack webhook',
} as const satisfies Record<string, string>;

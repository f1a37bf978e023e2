/** The audit actions Thumbtack records: changes to its webhooks at Thumbtack's API, and the OAuth connection. */
export const THUMBTACK_AUDIT_ACTIONS = {
  'thumbtack.webhook_create':
    'an operator created a Thumbtack webhook (business, URL, event types; never its password)',
  'thumbtack.webhook_update': 'an operator changed a Thumbtack webhook (the fields given; never its password)',
  'thumbtack.webhook_delete': 'an operator deleted a Thumbtack webhook',
  'thumbtack.connect': 'an operator connected a Thumbtack account by OAuth (its businesses; never a token)',
  'thumbtack.disconnect': 'an operator disconnected the Thumbtack account (its tokens deleted)',
} as const satisfies Record<string, string>;

/**
 * The core's audit actions, one list: the console's audit screen and docs/admin-api.md name these.
 * A provider declares its own (`auditActions` on the provider, `<provider>.<verb>`); the core never
 * names one.
 */
export const AUDIT_ACTIONS = {
  'operator.sign_in': 'an operator signed in to the console',
  'operator.sign_in_refused': 'a wrong operator credential (console sign-in, admin API bearer, metrics token)',
  'operator.sign_out': 'an operator signed out of the console',
  'subscription.create': 'a subscription was created (its kind, signing mode and types; never its URL or secret)',
  'subscription.update': 'a subscription was changed, enabled or disabled (which fields; never their secret values)',
  'subscription.delete': 'a subscription was deleted',
  'subscription.secret_reveal': "a subscription's signing secret was shown",
  'subscription.secret_rotate': "a subscription's signing secret was replaced",
  'subscription.test_send': 'a test event was sent to a subscription',
  'delivery.retry': 'a delivery was queued to be sent again',
  'event.replay': 'an inbox event was queued to be processed again',
  'event.replay_bulk': 'every inbox event matching a filter was queued to be processed again',
} as const satisfies Record<string, string>;

export type CoreAuditAction = keyof typeof AUDIT_ACTIONS;

/** `<area>.<verb>`: lower-case letters, digits and underscores. */
export const AUDIT_ACTION_NAME = /^[a-z0-9_]+\.[a-z0-9_]+$/;

/** The audit actions Jobber records, listed with the core's on the console's audit screen. */
export const JOBBER_AUDIT_ACTIONS = {
  'jobber.connect': 'an operator connected a Jobber account (the OAuth callback stored its tokens)',
  'jobber.disconnect': "a Jobber account disconnected Hookport's app (its signed APP_DISCONNECT webhook)",
  'jobber.import': "an operator queued an import of a Jobber account's clients, jobs and invoices",
} as const satisfies Record<string, string>;

/** Jobber reporting a disconnect itself: its signed webhook, with no client address of an operator. */
export const JOBBER_ITSELF = { actor: 'jobber', address: null } as const;

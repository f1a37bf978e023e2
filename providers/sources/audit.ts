/** The audit actions of run-time sources: their creation, changes and removal (never a secret). */
export const sourceAuditActions = {
  'source.created': 'an operator created a source (its name, verification kind and preset; never a secret)',
  'source.updated':
    'an operator changed a source, enabled or disabled it (which fields; the new kind when its verification changed; never a secret)',
  'source.deleted': 'an operator deleted a source (its received events stay)',
} as const satisfies Record<string, string>;

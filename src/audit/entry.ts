/** Who did something: what signed in, and from which client address. */
export interface AuditBy {
  /** `console`, `admin-api`, `metrics`, or a provider's name for what it reports itself. */
  actor: string;
  /** The client address as TRUST_PROXY lets Express read it; null when no request carried it. */
  address: string | null;
  /**
   * A console session's short reference (the start of the digest admin_sessions keys it by): it tells
   * sessions apart and can sign nobody in. Stored in the entry's detail.
   */
  session?: string;
}

/** One operator action to record. `detail` is small and never holds a secret. */
export interface AuditEntry {
  by: AuditBy;
  /** A name from AUDIT_ACTIONS, or one the provider recording it declares. */
  action: string;
  /** The id acted on, if any. */
  target?: string | null;
  detail?: Record<string, unknown>;
}

/** An entry as the admin API and the console show it. */
export interface AuditView {
  id: string;
  at: string;
  actor: string;
  address: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

/** A record that reached a status for the first time; counted once its transaction commits. */
export interface StatusReached {
  kind: 'message' | 'email';
  provider: string;
  /** `inbound`, `outbound`, or `unknown`. */
  direction: string;
  status: string;
}

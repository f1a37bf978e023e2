/** What is stored and shown of a verification: every parameter, never a secret. */
export type StoredVerification =
  | { type: 'standard-webhooks' }
  | {
      type: 'hmac';
      header: string;
      algorithm: 'sha1' | 'sha256' | 'sha512';
      encoding: 'hex' | 'base64';
      prefix?: string;
      preset?: 'github';
    }
  | { type: 'basic'; username: string }
  | { type: 'bearer'; header: string }
  | { type: 'stripe'; toleranceSeconds: number };

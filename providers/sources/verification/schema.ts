// STUB: replaced by the verification work (see /tmp/prompts/verification.md).
import { z } from 'zod';

export const VERIFICATION_KINDS = ['standard-webhooks', 'hmac', 'basic', 'bearer', 'stripe'] as const;
export type VerificationKind = (typeof VERIFICATION_KINDS)[number];
export const PRESETS = ['github', 'stripe'] as const;

/** What an operator sends as `verification` (POST and PATCH). */
export const verificationInputSchema = z.object({ type: z.string() }).loose();
export type VerificationInput = z.output<typeof verificationInputSchema>;

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

/**
 * How a source's requests are verified: the kinds an operator may choose (and the presets that
 * fill one in), what is stored of them, and the verifier built from what is stored.
 */
export {
  verificationInputSchema,
  type VerificationInput,
  type StoredVerification,
  type VerificationKind,
  VERIFICATION_KINDS,
  PRESETS,
} from './schema';
export { settleVerification, type SettledVerification } from './settle';
export { createSourceVerifier, type SourceVerifier } from './verifier';
export { signSourceRequest } from './sign';

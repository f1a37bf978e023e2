/** The signers `hookport send` uses (each provider's own library where one exists), for tests. */
export { signTwilioForm, signTwilioJson } from '../../providers/twilio/sign';
export { signResend } from '../../providers/resend/sign';
export { jobberSignature } from '../../providers/jobber/webhook/verify';
export { basicAuthorization } from '../../providers/thumbtack/sign';

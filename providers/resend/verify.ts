// svix's own Webhook class, from the module that defines it: the package's root also loads its
// whole API client (resident memory in every process, for nothing here).
import { Webhook, WebhookVerificationError } from 'svix/dist/webhook';
import { type RawRequest, VerificationError } from '../../src/provider';

export const SIGNATURE_HEADERS = ['svix-signature', 'webhook-signature'] as const;

/**
 * Verifies the Svix headers with the svix library (±5 minutes, several signatures per header), for
 * any configured secret. svix parses the JSON after a signature matches; a SyntaxError then means
 * the request is genuine but its body is not JSON, which is stored and dead-lettered, not refused.
 */
export function createResendVerifier(secrets: readonly string[]) {
  const webhooks = secrets.map((secret) => new Webhook(secret));
  return (request: RawRequest): void => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = value;
    let lastError: Error | undefined;
    for (const webhook of webhooks) {
      try {
        webhook.verify(request.body, headers);
        return;
      } catch (err) {
        // svix's JSON.parse runs only after a signature matched; any other error fails closed.
        if (err instanceof SyntaxError) return;
        lastError = err instanceof WebhookVerificationError ? err : new Error('signature could not be checked');
      }
    }
    throw new VerificationError(
      `${lastError?.message ?? 'verification failed'}; check RESEND_WEBHOOK_SECRET and that the raw body reaches Hookport unchanged`,
    );
  };
}

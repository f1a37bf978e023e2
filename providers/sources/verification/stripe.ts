import type Stripe from 'stripe';
import { VerificationError } from '../../../src/provider';

type StripeWebhooks = Stripe['webhooks'];
let webhooks: StripeWebhooks | undefined;

/**
 * The stripe library's webhook helpers, loaded on the first Stripe source's request: the package
 * is large and most processes never need it.
 */
export function stripeWebhooks(): StripeWebhooks {
  if (!webhooks) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used
    const module = require('stripe') as { default?: { webhooks: StripeWebhooks }; webhooks?: StripeWebhooks };
    webhooks = (module.default ?? module).webhooks!;
  }
  return webhooks;
}

/** Verifies a Stripe-Signature header with the stripe library, under any of the secrets. */
export function stripeSignature(
  body: Buffer,
  header: string,
  secrets: readonly string[],
  toleranceSeconds: number,
  nowMs: number,
): void {
  let why = 'the Stripe-Signature does not match any of the source’s signing secrets';
  for (const secret of secrets) {
    try {
      stripeWebhooks().signature!.verifyHeader(body, header, secret, toleranceSeconds, undefined, nowMs);
      return;
    } catch (err) {
      if (err instanceof Error && /tolerance/i.test(err.message))
        why = `the Stripe-Signature timestamp is more than ${toleranceSeconds} s from now`;
      else if (err instanceof Error && /Unable to extract timestamp/i.test(err.message))
        why = 'the Stripe-Signature header is not t=…,v1=…';
    }
  }
  throw new VerificationError(why);
}

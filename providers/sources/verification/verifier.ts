import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  secretsEqual,
  signaturesEqual,
  VerificationError,
  type RawRequest,
  type RequestHead,
} from '../../../src/provider';
import type { StoredVerification } from './schema';
import { stripeSignature } from './stripe';

export interface SourceVerifier {
  /** Headers that carry its credentials or signatures: stored and logged as `[redacted]`. */
  credentialHeaders: readonly string[];
  /** What can be refused before the body is read (missing header, wrong Basic or bearer credentials). */
  precheck(head: RequestHead): void;
  /** Throws VerificationError unless the request is genuine under one of the secrets. */
  verify(request: RawRequest): void;
}

const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;
const STANDARD_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

const headerOf = (head: RequestHead, name: string) => head.headers[name.toLowerCase()];
const required = (head: RequestHead, name: string): string => {
  const value = headerOf(head, name);
  if (!value) throw new VerificationError(`no ${name} header: the sender must sign each request`);
  return value;
};

/** The verifier of a stored verification under any of `secrets` (newest first). */
export function createSourceVerifier(
  verification: StoredVerification,
  secrets: readonly string[],
  now: () => number = Date.now,
): SourceVerifier {
  if (secrets.length === 0) throw new Error('a source verifies with at least one secret');
  switch (verification.type) {
    case 'standard-webhooks':
      return standardWebhooks(secrets);
    case 'hmac':
      return hmac(verification, secrets);
    case 'basic':
      return credentials(['authorization'], (head) => {
        const value = required(head, 'Authorization');
        const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
        if (!match) throw new VerificationError('the Authorization header is not Basic credentials');
        const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const user = colon < 0 ? decoded : decoded.slice(0, colon);
        const password = colon < 0 ? '' : decoded.slice(colon + 1);
        // Both compared, always: which one was wrong is not told.
        const userOk = secretsEqual(user, verification.username);
        const passwordOk = secrets.map((s) => secretsEqual(password, s)).includes(true);
        if (!(userOk && passwordOk)) throw new VerificationError("the Basic credentials are not the source's");
      });
    case 'bearer': {
      const header = verification.header;
      const scheme = header.toLowerCase() === 'authorization';
      return credentials([header.toLowerCase()], (head) => {
        const value = required(head, header);
        const match = scheme ? /^bearer\s+(\S+)\s*$/i.exec(value) : [value, value.trim()];
        if (!match) throw new VerificationError('the Authorization header is not a Bearer token');
        if (!secrets.map((s) => secretsEqual(match[1]!, s)).includes(true))
          throw new VerificationError(`the ${header} token is not the source's`);
      });
    }
    case 'stripe':
      return {
        credentialHeaders: ['stripe-signature'],
        precheck: (head) => void required(head, 'Stripe-Signature'),
        verify: (request) =>
          stripeSignature(
            request.body,
            required(request, 'Stripe-Signature'),
            secrets,
            verification.toleranceSeconds,
            now(),
          ),
      };
  }
}

/** Credentials in a header: checked in full before the body is read, and again with it. */
function credentials(headers: string[], check: (head: RequestHead) => void): SourceVerifier {
  return { credentialHeaders: headers, precheck: check, verify: check };
}

function standardWebhooks(secrets: readonly string[]): SourceVerifier {
  const webhooks = secrets.map((secret) => new Webhook(secret));
  return {
    credentialHeaders: ['webhook-signature'],
    precheck: (head) => STANDARD_HEADERS.forEach((name) => required(head, name)),
    verify(request) {
      const headers = Object.fromEntries(STANDARD_HEADERS.map((name) => [name, required(request, name)]));
      let why = 'the signature does not match any of the source’s secrets';
      for (const webhook of webhooks) {
        try {
          // The library checks the ±5 minute window and every signature in the header.
          webhook.verify(request.body, headers, { jsonParse: false });
          return;
        } catch (err) {
          if (err instanceof Error && /timestamp/i.test(err.message))
            why = `the webhook-timestamp is ${err.message.replace(/^message timestamp /i, '').toLowerCase()}`;
        }
      }
      throw new VerificationError(why);
    },
  };
}

function hmac(v: Extract<StoredVerification, { type: 'hmac' }>, secrets: readonly string[]): SourceVerifier {
  const prefix = v.prefix ?? '';
  const length = v.encoding === 'hex' ? DIGEST_BYTES[v.algorithm] * 2 : Math.ceil(DIGEST_BYTES[v.algorithm] / 3) * 4;
  const shape = v.encoding === 'hex' ? /^[0-9a-fA-F]+$/ : /^[A-Za-z0-9+/]+={0,2}$/;
  const digestOf = (value: string): string => {
    if (!value.startsWith(prefix))
      throw new VerificationError(`the ${v.header} header does not start with "${prefix}"`);
    const digest = value.slice(prefix.length).trim();
    if (digest.length !== length || !shape.test(digest))
      throw new VerificationError(`the ${v.header} header is not a ${v.encoding} ${v.algorithm} HMAC`);
    return v.encoding === 'hex' ? digest.toLowerCase() : digest;
  };
  return {
    credentialHeaders: [v.header.toLowerCase()],
    precheck: (head) => void digestOf(required(head, v.header)),
    verify(request) {
      const given = digestOf(required(request, v.header));
      const matches = secrets.map((secret) =>
        signaturesEqual(given, createHmac(v.algorithm, secret).update(request.body).digest(v.encoding)),
      );
      if (!matches.includes(true))
        throw new VerificationError(
          `the ${v.header} signature does not match any of the source’s secrets; check the secret and that the raw body reaches Hookport unchanged`,
        );
    },
  };
}

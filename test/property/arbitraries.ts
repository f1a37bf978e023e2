import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { providers, type RegisteredProviderName } from '../../providers';
import { TEST_SECRETS } from '../helpers/harness';
import { signResend, signTwilioForm, signTwilioJson } from '../helpers/sign';
import { signJobber } from '../fakes/jobber-fixtures';
import { THUMBTACK_AUTHORIZATION } from '../fakes/thumbtack-deliveries';
import { slackHeaders } from '../../providers/slack/sign';
import { commandForm } from '../../providers/slack/samples';

/**
 * Generators for the property tests: hostile text, provider fixtures with fields replaced by it,
 * and requests signed exactly as each provider signs them (with its own library where it has one).
 */

/** Any UTF-16 code unit, so NULs and lone surrogates turn up. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Text a genuine but hostile sender can put in a field, as well-formed Unicode (what a form can carry). */
export const hostileWellFormed = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\uFFFD', '\u{1F697}'),
  fc.string({ unit: 'binary-ascii', minLength: 500, maxLength: 3000 }),
);

/** As hostileWellFormed, plus lone surrogates (JSON escapes carry them). */
export const hostileText = fc.oneof(
  hostileWellFormed,
  fc.string({ unit: codeUnit, maxLength: 30 }),
  fc.constantFrom('\ud800', 'a\udc00b'),
);

type Path = (string | number)[];

function stringLeaves(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    stringLeaves(item, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

function setPath(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `fixture` with up to three string fields replaced by hostile text and maybe one field added. */
export function mutated<T extends object>(
  fixture: T,
  text = hostileText,
  added: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }),
): fc.Arbitrary<T> {
  const leaves = stringLeaves(fixture);
  return fc
    .record({
      replaced: fc.array(fc.tuple(fc.constantFrom(...leaves), text), { maxLength: 3 }),
      added: fc.option(fc.tuple(text, added), { nil: undefined }),
    })
    .map(({ replaced, added }) => {
      const copy = structuredClone(fixture);
      for (const [path, value] of replaced) setPath(copy, path, value);
      if (added) setPath(copy, [added[0]], added[1]);
      return copy;
    });
}

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixtureTexts = (dir: string) =>
  readdirSync(join(FIXTURES, dir)).map((name) => readFileSync(join(FIXTURES, dir, name), 'utf8'));
const jsonFixtures = (dir: string) => fixtureTexts(dir).map((text) => JSON.parse(text) as object);

/** Each provider's fixtures, with hostile fields, as the body text it would send. */
const jsonBodies = (dir: string) => fc.oneof(...jsonFixtures(dir).map((f) => mutated(f).map((v) => JSON.stringify(v))));
const twilioParams = fc.oneof(
  ...fixtureTexts('twilio').map((text) =>
    mutated(Object.fromEntries(new URLSearchParams(text)), hostileWellFormed, hostileWellFormed),
  ),
);

/** Any text at all as a body (UTF-8 on the wire). */
const anyBody = fc.string({ unit: 'binary', maxLength: 300 });

/** A request as a provider sends it: path and query, headers, exact bytes. */
export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A header value of visible ASCII (a client encodes others as UTF-8, a server reads Latin-1), e.g. a svix-id of any
 * length.
 */
const headerValue = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength });

const TWILIO_URL = `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`;
const json = { 'content-type': 'application/json' };

/** Genuine requests with hostile content, for each provider, signed as the provider signs them. */
/** Providers whose requests are verified by code (a source's are by its row: sources' own property test). */
export type FixedProviderName = Exclude<RegisteredProviderName, 'sources'>;
export const FIXED_PROVIDERS = Object.keys(providers).filter(
  (name) => !providers[name as RegisteredProviderName].instances,
) as FixedProviderName[];

export const signedRequests: Record<FixedProviderName, fc.Arbitrary<SignedRequest>> = {
  twilio: fc.oneof(
    twilioParams.map((params) => {
      const { body, signature } = signTwilioForm(
        TEST_SECRETS.twilioToken,
        TWILIO_URL,
        params as Record<string, string>,
      );
      return {
        url: '/webhooks/twilio',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: Buffer.from(body),
      };
    }),
    fc
      .oneof(
        twilioParams.map((p) => JSON.stringify(p)),
        anyBody,
      )
      .map((body) => {
        const { url, signature } = signTwilioJson(TEST_SECRETS.twilioToken, TWILIO_URL, body);
        return {
          url: url.slice(TEST_SECRETS.publicBaseUrl.length),
          headers: { ...json, 'x-twilio-signature': signature },
          body: Buffer.from(body),
        };
      }),
  ),
  resend: fc
    .tuple(fc.oneof(jsonBodies('resend'), anyBody), fc.option(headerValue(4000), { nil: undefined }))
    .map(([body, id]) => ({
      url: '/webhooks/resend',
      headers: signResend(TEST_SECRETS.resendSecret, body, { id }),
      body: Buffer.from(body),
    })),
  jobber: fc.oneof(jsonBodies(join('jobber', 'webhooks')), anyBody).map((body) => ({
    url: '/webhooks/jobber',
    headers: { ...json, 'x-jobber-hmac-sha256': signJobber(TEST_SECRETS.jobberClientSecret, body) },
    body: Buffer.from(body),
  })),
  thumbtack: fc.oneof(jsonBodies('thumbtack'), anyBody).map((body) => ({
    url: '/webhooks/thumbtack',
    headers: { ...json, authorization: THUMBTACK_AUTHORIZATION },
    body: Buffer.from(body),
  })),
  slack: fc
    .oneof(
      // A command with hostile text, a click with hostile ids and response_url, or any form at all.
      fc
        .tuple(fc.constantFrom('client', 'jobs', 'invoices', 'help', ''), hostileWellFormed)
        .map(([word, text]) => new URLSearchParams({ ...commandForm('/jobber'), text: `${word} ${text}` }).toString()),
      fc
        .record({
          action_id: fc.oneof(fc.constant('hookport.client'), hostileText),
          value: hostileText,
          url: hostileText,
        })
        .map(({ action_id, value, url }) =>
          new URLSearchParams({
            payload: JSON.stringify({ type: 'block_actions', response_url: url, actions: [{ action_id, value }] }),
          }).toString(),
        ),
      anyBody,
    )
    .chain((body) =>
      fc.constantFrom('/slack/commands', '/slack/interactions', '/webhooks/slack').map((url) => ({
        url,
        headers: slackHeaders(TEST_SECRETS.slackSigningSecret, body),
        body: Buffer.from(body),
      })),
    ),
};

/** Header names any provider reads, so that arbitrary values reach every branch of verify and identify. */
const HEADER_NAMES = [
  'authorization',
  'content-type',
  'x-twilio-signature',
  'i-twilio-idempotency-token',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-jobber-hmac-sha256',
  'x-slack-signature',
  'x-slack-request-timestamp',
];

const headerText = fc.oneof(
  hostileText,
  fc.base64String({ maxLength: 60 }).map((b) => `v1,${b}`),
  fc.base64String({ maxLength: 60 }).map((b) => `Basic ${b}`),
  fc.integer({ min: 0, max: 4_000_000_000 }).map(String),
);

/** Anything at all: bytes, headers (known names with odd values, odd names) and a path with a query. */
export const arbitraryRequest: fc.Arbitrary<SignedRequest> = fc.record({
  url: fc.oneof(
    fc.constant('/webhooks/any'),
    fc.string({ unit: 'binary', maxLength: 40 }).map((q) => `/webhooks/any?${q}`),
    fc.stringMatching(/^[0-9a-f]{0,64}$/).map((h) => `/webhooks/any?bodySHA256=${h}`),
  ),
  headers: fc.dictionary(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 10 })), headerText, {
    maxKeys: 6,
  }),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
    anyBody.map((s) => Buffer.from(s)),
  ),
});

/** A genuine request with one thing changed: a body byte, or one header's value. */
export const tamperedRequest = (signed: fc.Arbitrary<SignedRequest>): fc.Arbitrary<SignedRequest> =>
  fc
    .tuple(
      signed,
      fc.nat(),
      fc.nat(255),
      fc.option(fc.tuple(fc.constantFrom(...HEADER_NAMES), headerText), { nil: undefined }),
    )
    .map(([request, at, byte, header]) => {
      const body = Buffer.from(request.body);
      if (body.length > 0) body[at % body.length] = byte;
      return { ...request, body, headers: header ? { ...request.headers, [header[0]]: header[1] } : request.headers };
    });

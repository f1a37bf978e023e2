import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { MAX_FORM_PARAMETERS, createTwilioVerifier } from './verify';
import type { RawRequest } from '../../src/contract/provider';
import { RequestTooLargeError, VerificationError } from '../../src/errors/hookport-error';
import { readFixture, readFormFixture } from '../../test/helpers/fixtures';
import { signTwilioForm } from '../../test/helpers/sign';
import { thrown } from '../../test/unit/thrown';

// Published vectors from twilio-node's spec/validation.spec.js (github.com/twilio/twilio-node).
const TOKEN = '12345';
const BASE = 'https://mycompany.com';
const PATH = '/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const VECTOR_SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
const JSON_BODY = '{"property": "value", "boolean": true}';
const JSON_SIGNATURE = 'a9nBmqA0ju/hNViExpshrM61xv4=';
const bodyHash = createHash('sha256').update(JSON_BODY).digest('hex');
const JSON_PATH = `${PATH}&bodySHA256=${bodyHash}`;

type Params = Record<string, string | string[]>;

/** The form body Twilio would send: repeated keys repeated, in order. */
function formBody(params: Params): Buffer {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return Buffer.from(search.toString());
}

function formRequest(
  params: Params,
  signature: string | undefined,
  url = PATH,
  extra: Record<string, string> = {},
): RawRequest {
  return {
    body: formBody(params),
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, ...extra },
  };
}

function jsonRequest(body: string, signature: string, url = JSON_PATH): RawRequest {
  return {
    body: Buffer.from(body),
    url,
    headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
  };
}

const verify = createTwilioVerifier([TOKEN], BASE);

const refused = (run: () => void) => thrown(VerificationError, run);

describe('twilio verifier: published vectors', () => {
  it('twilio-node computes the published form signature', () => {
    expect(twilio.getExpectedTwilioSignature(TOKEN, BASE + PATH, PARAMS)).toBe(VECTOR_SIGNATURE);
  });

  it('accepts the published form vector with publicBaseUrl + path and query', () => {
    expect(() => verify(formRequest(PARAMS, VECTOR_SIGNATURE))).not.toThrow();
  });

  it('hashes the published JSON body to 0a1ff763…6e6620', () => {
    expect(bodyHash).toMatch(/^0a1ff763[0-9a-f]{50}6e6620$/);
  });

  it('accepts the published JSON vector signed through bodySHA256', () => {
    expect(twilio.getExpectedTwilioSignature(TOKEN, BASE + JSON_PATH, {})).toBe(JSON_SIGNATURE);
    expect(() => verify(jsonRequest(JSON_BODY, JSON_SIGNATURE))).not.toThrow();
  });

  it('accepts a real inbound SMS fixture signed by twilio-node', () => {
    const url = '/webhooks/twilio';
    const { body, signature } = signTwilioForm(TOKEN, BASE + url, readFormFixture('inbound-sms'));
    expect(body).toBe(readFixture('twilio', 'inbound-sms.form'));
    expect(() => verify({ body: Buffer.from(body), url, headers: { 'x-twilio-signature': signature } })).not.toThrow();
  });

  it('accepts fields named like Object.prototype members (found by the property test)', () => {
    const params: Record<string, string> = { ...PARAMS, toString: 'a', constructor: 'b', hasOwnProperty: 'c' };
    Object.defineProperty(params, '__proto__', { value: 'd', enumerable: true }); // an own field, as a form has it
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + PATH, params);
    expect(() => verify(formRequest(params, signature))).not.toThrow();
  });
});

describe('twilio verifier: refusals', () => {
  it('refuses a request without X-Twilio-Signature', () => {
    expect(refused(() => verify(formRequest(PARAMS, undefined))).message).toMatch(/missing X-Twilio-Signature/);
  });

  it('refuses a signature made with another auth token', () => {
    refused(() => createTwilioVerifier(['54321'], BASE)(formRequest(PARAMS, VECTOR_SIGNATURE)));
  });

  it('refuses a body with a changed parameter', () => {
    refused(() => verify(formRequest({ ...PARAMS, Digits: '1235' }, VECTOR_SIGNATURE)));
  });

  it('refuses a body with an added parameter', () => {
    refused(() => verify(formRequest({ ...PARAMS, Extra: 'x' }, VECTOR_SIGNATURE)));
  });

  it('refuses a different path', () => {
    refused(() => verify(formRequest(PARAMS, VECTOR_SIGNATURE, '/other.php?foo=1&bar=2')));
  });

  it('refuses a different query', () => {
    refused(() => verify(formRequest(PARAMS, VECTOR_SIGNATURE, '/myapp.php?foo=1&bar=3')));
  });

  it('refuses a URL signed for another host, whatever the Host header says', () => {
    const forOtherHost = twilio.getExpectedTwilioSignature(TOKEN, `https://attacker.example${PATH}`, PARAMS);
    const headers = { host: 'attacker.example', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' };
    refused(() => verify(formRequest(PARAMS, forOtherHost, PATH, headers)));
  });

  it('ignores Host and X-Forwarded-* when the signature matches publicBaseUrl', () => {
    const headers = { host: 'internal:8080', 'x-forwarded-host': 'elsewhere.example', 'x-forwarded-proto': 'http' };
    expect(() => verify(formRequest(PARAMS, VECTOR_SIGNATURE, PATH, headers))).not.toThrow();
  });

  it('refuses an altered JSON body whose bodySHA256 was left unchanged', () => {
    refused(() => verify(jsonRequest('{"property": "value", "boolean": false}', JSON_SIGNATURE)));
  });

  it('never puts the token or the signature in the error message', () => {
    const attempts: (() => void)[] = [
      () => verify(formRequest(PARAMS, undefined)),
      () => createTwilioVerifier(['54321'], BASE)(formRequest(PARAMS, VECTOR_SIGNATURE)),
      () => verify(formRequest({ ...PARAMS, Digits: '0' }, VECTOR_SIGNATURE)),
      () => verify(jsonRequest('{}', JSON_SIGNATURE)),
    ];
    for (const attempt of attempts) {
      const { message } = refused(attempt);
      for (const secret of [TOKEN, '54321', VECTOR_SIGNATURE, JSON_SIGNATURE]) expect(message).not.toContain(secret);
    }
  });
});

describe('twilio verifier: rotation, repeated keys and URL variants', () => {
  it('accepts when the second token of a rotation list is the valid one', () => {
    expect(() => createTwilioVerifier(['old-token', TOKEN], BASE)(formRequest(PARAMS, VECTOR_SIGNATURE))).not.toThrow();
  });

  it('refuses when no token of the list signed it', () => {
    refused(() => createTwilioVerifier(['old-token', 'other-token'], BASE)(formRequest(PARAMS, VECTOR_SIGNATURE)));
  });

  const repeated = { ...PARAMS, MediaUrl: ['https://example.com/b.jpg', 'https://example.com/a.jpg'] };

  it('signs repeated form keys like twilio-node (every value, sorted)', () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + PATH, repeated);
    expect(() => verify(formRequest(repeated, signature))).not.toThrow();
  });

  it('refuses a signature that covered only the first of the repeated values', () => {
    const firstOnly = twilio.getExpectedTwilioSignature(TOKEN, BASE + PATH, {
      ...PARAMS,
      MediaUrl: repeated.MediaUrl[0]!,
    });
    refused(() => verify(formRequest(repeated, firstOnly)));
  });

  it("accepts a query with both ' and + signed over the exact URL, before the library's variants (twilio-node#1183)", () => {
    const url = "/sms?name=William+O'hara";
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + url, PARAMS);
    // Some twilio-node versions refuse this URL in validateRequest: the exact check must not need it.
    const variants = jest.spyOn(twilio, 'validateRequest');
    try {
      expect(() => verify(formRequest(PARAMS, signature, url))).not.toThrow();
      expect(variants).not.toHaveBeenCalled();
    } finally {
      variants.mockRestore();
    }
  });

  it('accepts an https URL that Twilio signed with :443', () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `https://mycompany.com:443${PATH}`, PARAMS);
    expect(() => verify(formRequest(PARAMS, signature))).not.toThrow();
  });
});

describe('twilio verifier: bounded cost', () => {
  const manyParams = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`K${i}`, 'v']));

  it("caps forms at 200 parameters, over twice what the largest of Twilio's own carries", () => {
    const largest = Math.max(
      ...['inbound-sms', 'inbound-mms', 'status-delivered', 'status-failed'].map(
        (name) => Object.keys(readFormFixture(name)).length,
      ),
    );
    expect(MAX_FORM_PARAMETERS).toBe(200);
    expect(MAX_FORM_PARAMETERS).toBeGreaterThan(2 * largest);
  });

  it(`accepts a signed form with ${MAX_FORM_PARAMETERS} parameters`, () => {
    const params = manyParams(MAX_FORM_PARAMETERS);
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + PATH, params);
    expect(() => verify(formRequest(params, signature))).not.toThrow();
  });

  it('refuses a form with more parameters as too large, even correctly signed', () => {
    const params = manyParams(MAX_FORM_PARAMETERS + 1);
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + PATH, params);
    const { message } = thrown(RequestTooLargeError, () => verify(formRequest(params, signature)));
    expect(message).toMatch(`at most ${MAX_FORM_PARAMETERS} parameters`);
  });

  it('refuses 110,000 keys with a bad signature in milliseconds, not ~0.8 s', () => {
    const body = Buffer.from(Array.from({ length: 110_000 }, (_, i) => `k${i}=v`).join('&'));
    const started = process.hrtime.bigint();
    thrown(RequestTooLargeError, () =>
      verify({ body, url: PATH, headers: { 'x-twilio-signature': VECTOR_SIGNATURE } }),
    );
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
  });

  it('does not count the fields of a JSON body (signed through bodySHA256)', () => {
    const body = JSON.stringify({ text: '&'.repeat(MAX_FORM_PARAMETERS + 10) });
    const hash = createHash('sha256').update(body).digest('hex');
    const url = `${PATH}&bodySHA256=${hash}`;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + url, {});
    expect(() => verify(jsonRequest(body, signature, url))).not.toThrow();
  });
});

import { VerificationError } from '../../src/provider';
import { slackSignature } from './sign';
import { createSlackPrecheck, createSlackVerifier } from './verify';

// Slack's own example (api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = Number(TIMESTAMP) * 1000;

const request = (headers: Record<string, string>, body = BODY) => ({
  body: Buffer.from(body),
  headers,
  url: '/slack/commands',
});
const signed = { 'x-slack-signature': SIGNATURE, 'x-slack-request-timestamp': TIMESTAMP };

describe('Slack request signing (v0)', () => {
  it('signs Slack’s published example as Slack does', () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it('accepts the example, under the only secret or the second of a rotation', () => {
    expect(() => createSlackVerifier([SECRET], () => AT)(request(signed))).not.toThrow();
    expect(() =>
      createSlackVerifier(['the-new-secret-000000000000000', SECRET], () => AT)(request(signed)),
    ).not.toThrow();
  });

  it.each([
    ['a changed body', request(signed, BODY.replace('roadrunner', 'coyote')), AT, /does not match/],
    ['a wrong secret', request(signed), AT, /does not match/],
    ['a stale timestamp', request(signed), AT + 5 * 60_000 + 1000, /more than 5 minutes/],
    ['a future timestamp', request(signed), AT - 5 * 60_000 - 1000, /more than 5 minutes/],
    ['no signature', request({ 'x-slack-request-timestamp': TIMESTAMP }), AT, /missing/],
    ['no timestamp', request({ 'x-slack-signature': SIGNATURE }), AT, /missing/],
    ['a malformed signature', request({ ...signed, 'x-slack-signature': 'v1=abc' }), AT, /not v0=/],
    ['a malformed timestamp', request({ ...signed, 'x-slack-request-timestamp': '1e9' }), AT, /not Unix seconds/],
  ])('refuses %s', (name, req, now, message) => {
    const secrets = name === 'a wrong secret' ? ['8f742231b10e8888abcd99yyyzzz85a6'] : [SECRET];
    const verify = createSlackVerifier(secrets, () => now);
    expect(() => verify(req)).toThrow(VerificationError);
    expect(() => verify(req)).toThrow(message);
  });

  it('prechecks from the headers alone: shape and age, not the signature itself', () => {
    const precheck = createSlackPrecheck(() => AT);
    expect(() =>
      precheck({ headers: { ...signed, 'x-slack-signature': `v0=${'0'.repeat(64)}` }, url: '/' }),
    ).not.toThrow();
    expect(() => precheck({ headers: {}, url: '/' })).toThrow(/missing/);
    const stale = createSlackPrecheck(() => AT + 10 * 60_000);
    expect(() => stale({ headers: signed, url: '/' })).toThrow(/more than 5 minutes/);
  });
});

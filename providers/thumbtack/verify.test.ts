import { loadConfig } from '../../test/helpers/config';
import type { RawRequest } from '../../src/contract/provider';
import { VerificationError } from '../../src/errors/hookport-error';
import { thumbtackProvider } from './';
import { createThumbtackVerifier, parseBasicAuthorization } from './verify';
import { basicAuthorization } from '../../test/fakes/thumbtack-deliveries';

const USERNAME = 'thumbtack-hooks';
const PASSWORD = 'kT9vQ2xLm4Rw8ZpN6sJd3Hf7Yc5Bg1Ae';
const verify = createThumbtackVerifier(USERNAME, PASSWORD);

const request = (authorization?: string): RawRequest => ({
  body: Buffer.from('{"event":{"eventType":"MessageCreatedV4"},"data":{}}'),
  headers: authorization === undefined ? {} : { authorization },
  url: '/webhooks/thumbtack',
});

function failure(authorization?: string): VerificationError {
  try {
    verify(request(authorization));
  } catch (err) {
    expect(err).toBeInstanceOf(VerificationError);
    return err as VerificationError;
  }
  throw new Error('verification passed');
}

describe('Thumbtack HTTP Basic verification', () => {
  it('accepts the configured username and password', () => {
    expect(() => verify(request(basicAuthorization(USERNAME, PASSWORD)))).not.toThrow();
  });

  it('accepts a lower-case scheme and a password that contains colons', () => {
    const v = createThumbtackVerifier('u', 'p:a:ss');
    expect(() => v(request(`basic ${Buffer.from('u:p:a:ss').toString('base64')}`))).not.toThrow();
  });

  it('refuses a request without an Authorization header', () => {
    expect(failure().message).toMatch(/missing Authorization header/);
  });

  it('refuses another scheme', () => {
    expect(failure(`Bearer ${PASSWORD}`).message).toMatch(/not HTTP Basic/);
  });

  it('refuses Basic with something that is not base64', () => {
    expect(failure('Basic not*base64!').message).toMatch(/not HTTP Basic/);
  });

  it('refuses Basic credentials without a colon', () => {
    expect(failure(`Basic ${Buffer.from(USERNAME + PASSWORD).toString('base64')}`).message).toMatch(/not HTTP Basic/);
  });

  it('refuses an empty Basic value', () => {
    expect(failure('Basic ').message).toMatch(/not HTTP Basic/);
  });

  it('refuses a wrong password with the same message as a wrong username, naming neither value', () => {
    const wrongPassword = failure(basicAuthorization(USERNAME, PASSWORD.slice(0, -1) + 'X'));
    const wrongUsername = failure(basicAuthorization('someone-else', PASSWORD));
    const bothWrong = failure(basicAuthorization('someone-else', 'guess'));
    expect(wrongPassword.message).toBe(wrongUsername.message);
    expect(bothWrong.message).toBe(wrongUsername.message);
    for (const err of [wrongPassword, wrongUsername, bothWrong]) {
      expect(err.message).not.toContain(PASSWORD);
      expect(err.message).not.toContain(USERNAME);
    }
  });

  it('refuses a password that only differs in length', () => {
    failure(basicAuthorization(USERNAME, PASSWORD + PASSWORD));
    failure(basicAuthorization(USERNAME, ''));
  });

  it('parses Basic credentials into username and password', () => {
    expect(parseBasicAuthorization(basicAuthorization('a', 'b:c'))).toEqual({ username: 'a', password: 'b:c' });
    expect(parseBasicAuthorization('Digest abc')).toBeNull();
  });

  it('is not configured without both credentials, and redacts the Authorization header', () => {
    const base = { DATA_DIR: 'memory://' };
    expect(thumbtackProvider.createVerifier(loadConfig(base))).toBeNull();
    const configured = loadConfig({
      ...base,
      THUMBTACK_WEBHOOK_USERNAME: USERNAME,
      THUMBTACK_WEBHOOK_PASSWORD: PASSWORD,
    });
    expect(thumbtackProvider.createVerifier(configured)).toBeInstanceOf(Function);
    expect(() => loadConfig({ ...base, THUMBTACK_WEBHOOK_USERNAME: USERNAME })).toThrow(/THUMBTACK_WEBHOOK_PASSWORD/);
    expect(thumbtackProvider.credentialHeaders).toContain('authorization');
  });
});

import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../src/config/config';
import { configWarnings } from '../../src/contract/load-config';
import { SecretBox, isSealed } from '../../src/crypto/secret-box';
import { SecretUnreadableError } from '../../src/errors/hookport-error';
import { providers } from '../../providers';
import { loadConfig } from '../helpers/config';
import { thrown } from './thrown';

const keyText = () => randomBytes(32).toString('base64');
const LABEL = 'subscriptions.secret';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('SecretBox: secrets sealed at rest with AES-256-GCM', () => {
  const key = keyText();
  const box = SecretBox.fromTexts([key]);

  it('seals to a self-describing text that holds neither the value nor the key, and opens it again', () => {
    const sealed = box.seal(LABEL, SECRET);
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{12}:[\w-]+:[\w-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(SECRET.slice(6, 20));
    expect(sealed).not.toContain(key);
    expect(box.isSealedUnderCurrent(sealed)).toBe(true);
    expect(box.open(LABEL, sealed)).toBe(SECRET);
    // A fresh IV each time: two seals of one value differ.
    expect(box.seal(LABEL, SECRET)).not.toBe(sealed);
  });

  it('refuses a value with any byte flipped', () => {
    const sealed = box.seal(LABEL, SECRET);
    const [prefix, body] = [sealed.slice(0, sealed.lastIndexOf(':') + 1), sealed.slice(sealed.lastIndexOf(':') + 1)];
    const bytes = Buffer.from(body, 'base64url');
    for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[at] = flipped[at]! ^ 0x01;
      expect(() => box.open(LABEL, prefix + flipped.toString('base64url'))).toThrow(SecretUnreadableError);
    }
  });

  it('refuses a value copied to another column (the label is authenticated)', () => {
    expect(() => box.open('subscriptions.url', box.seal(LABEL, SECRET))).toThrow(SecretUnreadableError);
  });

  it('with the wrong key: an error naming HOOKPORT_ENCRYPTION_KEY, never the value or the ciphertext', () => {
    const sealed = box.seal(LABEL, SECRET);
    const err = thrown(SecretUnreadableError, () => SecretBox.fromTexts([keyText()]).open(LABEL, sealed));
    expect(err.code).toBe('secret_unreadable');
    expect(err.status).toBe(503);
    expect(err.message).toContain('HOOKPORT_ENCRYPTION_KEY');
    expect(err.message).not.toContain(sealed.slice(20));
    expect(err.message).not.toContain(SECRET);
    // No key at all: the value is sealed, so it cannot be read either, and the message says to set it.
    expect(thrown(SecretUnreadableError, () => new SecretBox().open(LABEL, sealed)).message).toMatch(
      /HOOKPORT_ENCRYPTION_KEY is not set/,
    );
  });

  it('rotation: a list opens with any key and seals with the first', () => {
    const older = SecretBox.fromTexts([key]).seal(LABEL, SECRET);
    const newKey = keyText();
    const rotated = SecretBox.fromTexts([newKey, key]);
    expect(rotated.open(LABEL, older)).toBe(SECRET);
    expect(rotated.isSealedUnderCurrent(older)).toBe(false);
    const resealed = rotated.seal(LABEL, SECRET);
    expect(rotated.isSealedUnderCurrent(resealed)).toBe(true);
    expect(SecretBox.fromTexts([newKey]).open(LABEL, resealed)).toBe(SECRET);
    expect(() => SecretBox.fromTexts([key]).open(LABEL, resealed)).toThrow(SecretUnreadableError);
  });

  it('reads a plain value as it is, and without a key stores values as given', () => {
    expect(box.open(LABEL, SECRET)).toBe(SECRET);
    const none = new SecretBox();
    expect(none.enabled).toBe(false);
    expect(none.seal(LABEL, SECRET)).toBe(SECRET);
    expect(isSealed(SECRET)).toBe(false);
  });

  it('never serializes its keys', () => {
    expect(JSON.stringify({ box })).not.toContain(key);
    expect(JSON.stringify({ box })).not.toContain(Buffer.from(key, 'base64').toString('hex'));
  });
});

describe('HOOKPORT_ENCRYPTION_KEY', () => {
  it.each([
    ['not base64', 'not-a-key!'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['a good key then a bad one', `${keyText()},${randomBytes(31).toString('base64')}`],
  ])('refuses %s, naming the variable and never the value', (_what, value) => {
    const message = thrown(ConfigError, () => loadConfig({ HOOKPORT_ENCRYPTION_KEY: value })).message;
    expect(message).toMatch(/HOOKPORT_ENCRYPTION_KEY: each key must be the base64 of 32 random bytes/);
    for (const part of value.split(',')) expect(message).not.toContain(part);
  });

  it('takes a comma-separated list, and is among the secrets scrubbed from error text', () => {
    const [a, b] = [keyText(), keyText()];
    const config = loadConfig({ HOOKPORT_ENCRYPTION_KEY: ` ${a} , ${b} ` });
    expect(config.secretBox.enabled).toBe(true);
    expect(config.secrets).toEqual(expect.arrayContaining([a, b]));
    const sealed = config.secretBox.seal(LABEL, SECRET);
    expect(SecretBox.fromTexts([a]).open(LABEL, sealed)).toBe(SECRET);
    expect(() => SecretBox.fromTexts([b]).open(LABEL, sealed)).toThrow(SecretUnreadableError);
  });

  it('unset: a configuration warning naming it (logged at start-up, printed by config check)', () => {
    const warning = expect.objectContaining({
      variable: 'HOOKPORT_ENCRYPTION_KEY',
      message: expect.stringContaining('plain text') as unknown,
    });
    expect(configWarnings(loadConfig({}), providers)).toContainEqual(warning);
    expect(configWarnings(loadConfig({ HOOKPORT_ENCRYPTION_KEY: keyText() }), providers)).not.toContainEqual(warning);
  });
});

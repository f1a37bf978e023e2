import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretUnreadableError } from '../errors/hookport-error';

/** The variable the keys come from: every message about a key or an unreadable value names it. */
export const ENCRYPTION_KEY_VARIABLE = 'HOOKPORT_ENCRYPTION_KEY';

const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether a key text is the base64 of exactly 32 bytes. */
export const isKeyText = (text: string): boolean =>
  BASE64.test(text) && Buffer.from(text, 'base64').length === KEY_BYTES;

/** A public fingerprint of a key, stored with each value so the right key is found (never the key). */
const keyIdOf = (key: Buffer) =>
  createHash('sha256').update('hookport key id\0').update(key).digest('hex').slice(0, 12);

/**
 * Seals stored secrets with AES-256-GCM. A sealed value is one text,
 * `enc:v1:<keyId>:<iv>:<ciphertext+tag>` (base64url parts); the label (what the value is, e.g.
 * `subscriptions.secret`) is the associated data, so a value copied to another column does not
 * open. Keys: the first seals, every one opens (rotation). Without keys, values are stored and
 * read as given. Text without the prefix is a plain value (no key yet, or not migrated yet).
 */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #current: string | null;

  /** `keys` are already checked (isKeyText): the first one seals. */
  constructor(keys: readonly Buffer[] = []) {
    this.#keys = new Map(keys.map((k) => [keyIdOf(k), k]));
    this.#current = keys[0] ? keyIdOf(keys[0]) : null;
  }

  /** From key texts as HOOKPORT_ENCRYPTION_KEY lists them (each checked by isKeyText first). */
  static fromTexts(texts: readonly string[]): SecretBox {
    return new SecretBox(texts.map((t) => Buffer.from(t, 'base64')));
  }

  /** Whether values are sealed at all (a key is configured). */
  get enabled(): boolean {
    return this.#current !== null;
  }

  /** The start of every value sealed under the first key; null without keys. */
  get currentPrefix(): string | null {
    return this.#current === null ? null : `${PREFIX}${this.#current}:`;
  }

  seal(label: string, plain: string): string {
    if (this.#current === null) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#current)!, iv);
    cipher.setAAD(Buffer.from(label, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.#current}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** The plain value; throws SecretUnreadableError (naming the variable, never the value) when no key opens it. */
  open(label: string, stored: string): string {
    if (!isSealed(stored)) return stored;
    const [keyId, iv, body] = stored.slice(PREFIX.length).split(':');
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (!key || iv === undefined || body === undefined) throw new SecretUnreadableError(this.enabled);
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < TAG_BYTES) throw new SecretUnreadableError(this.enabled);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(label, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretUnreadableError(this.enabled);
    }
  }

  /** Whether `stored` is sealed under the first key (nothing to rewrite); false without keys. */
  isSealedUnderCurrent(stored: string): boolean {
    const prefix = this.currentPrefix;
    return prefix !== null && stored.startsWith(prefix);
  }

  /** Never the keys, whatever serializes a config. */
  toJSON(): string {
    return `SecretBox(${this.#keys.size} keys)`;
  }
}

/** Whether a stored value is sealed (under any key), rather than plain. */
export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

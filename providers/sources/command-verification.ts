import { readFile } from 'node:fs/promises';

/** Where a command reads secrets: stdin (a terminal, a pipe or a file redirected to it). */
export type Input = NodeJS.ReadableStream & { isTTY?: boolean };
type Flags = Record<string, string | boolean | undefined>;

/** A usage mistake: printed as is, exit 64. */
export class UsageError extends Error {}

const KINDS = ['standard-webhooks', 'hmac', 'basic', 'bearer'] as const;
const PRESETS = ['github', 'stripe'] as const;
/** Which flags each kind takes besides its secret: any other is a mistake worth naming. */
const PARAMETERS: Record<string, readonly string[]> = {
  'standard-webhooks': [],
  hmac: ['header', 'algorithm', 'encoding', 'prefix'],
  basic: ['username'],
  bearer: ['header'],
  github: [],
  stripe: ['tolerance-seconds'],
};
const ALL_PARAMETERS = ['header', 'algorithm', 'encoding', 'prefix', 'username', 'tolerance-seconds'];

export const verificationFlags = {
  preset: { type: 'string' },
  type: { type: 'string' },
  header: { type: 'string' },
  algorithm: { type: 'string' },
  encoding: { type: 'string' },
  prefix: { type: 'string' },
  username: { type: 'string' },
  'tolerance-seconds': { type: 'string' },
  'secret-file': { type: 'string' },
} as const;

async function readAll(input: Input): Promise<string> {
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

/** One line typed on a terminal (it is echoed: a file or a pipe keeps it off the screen). */
async function readLine(input: Input, out: NodeJS.WritableStream, prompt: string): Promise<string> {
  out.write(prompt);
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0] ?? '';
}

/** The secrets, one a line, newest first: a file, `-` (stdin), or stdin when the kind needs one. */
async function readSecrets(
  file: string | undefined,
  input: Input,
  out: NodeJS.WritableStream,
  what: string,
): Promise<string[]> {
  let text: string;
  if (file !== undefined && file !== '-') {
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --secret-file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else if (input.isTTY) {
    text = await readLine(input, out, `${what} (one line; to keep it off the screen, pipe it or use --secret-file): `);
  } else {
    text = await readAll(input);
  }
  const secrets = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (secrets.length === 0)
    throw new UsageError(
      `${what} is missing: pipe it to stdin or pass --secret-file <path> (one a line, newest first)`,
    );
  return secrets;
}

const oneOrList = (secrets: string[]) => (secrets.length === 1 ? secrets[0]! : secrets);

/**
 * The `verification` body field the flags describe, its secrets read from a file or stdin (never
 * argv, which every user of the machine can read); undefined when no kind or preset is given.
 */
export async function verificationOf(
  flags: Flags,
  input: Input,
  out: NodeJS.WritableStream,
): Promise<Record<string, unknown> | undefined> {
  const preset = flags.preset as string | undefined;
  const type = flags.type as string | undefined;
  const given = ALL_PARAMETERS.filter((p) => flags[p] !== undefined);
  if (preset !== undefined && type !== undefined) throw new UsageError('pass --preset or --type, not both');
  const kind = preset ?? type;
  if (kind === undefined) {
    if (given.length > 0 || flags['secret-file'] !== undefined)
      throw new UsageError(`--${given[0] ?? 'secret-file'} needs --type or --preset`);
    return undefined;
  }
  if (preset !== undefined && !(PRESETS as readonly string[]).includes(preset))
    throw new UsageError(`--preset is one of ${PRESETS.join(', ')}`);
  if (type !== undefined && !(KINDS as readonly string[]).includes(type))
    throw new UsageError(`--type is one of ${KINDS.join(', ')} (a source is never unverified)`);
  const stray = given.find((p) => !PARAMETERS[kind]!.includes(p));
  if (stray) throw new UsageError(`--${stray} does not apply to ${kind}`);

  const file = flags['secret-file'] as string | undefined;
  const secrets = (what: string) => readSecrets(file, input, out, what);
  const param = (name: string) => (flags[name] === undefined ? {} : { [camel(name)]: flags[name] });
  switch (kind) {
    case 'github':
      return { preset, secret: oneOrList(await secrets('the webhook secret')) };
    case 'stripe': {
      const tolerance = flags['tolerance-seconds'];
      return {
        preset,
        secret: oneOrList(await secrets('the signing secret (whsec_…)')),
        ...(tolerance === undefined ? {} : { toleranceSeconds: Number(tolerance) }),
      };
    }
    case 'standard-webhooks':
      // Without a file Hookport generates the secret, so stdin is left alone.
      return file === undefined ? { type } : { type, secret: oneOrList(await secrets('the secret (whsec_…)')) };
    case 'hmac':
      return {
        type,
        ...param('header'),
        ...param('algorithm'),
        ...param('encoding'),
        ...param('prefix'),
        secret: oneOrList(await secrets('the secret')),
      };
    case 'basic':
      return { type, ...param('username'), password: oneOrList(await secrets('the password')) };
    default:
      return { type, ...param('header'), token: oneOrList(await secrets('the token')) };
  }
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

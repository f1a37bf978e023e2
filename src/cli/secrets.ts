import type { Command } from 'commander';
import { ENCRYPTION_KEY_VARIABLE } from '../crypto/secret-box';
import { createLogger } from '../log/logger';
import { resealAll, type ResealCounts } from '../secrets/reseal';
import { storedSecretFields } from '../secrets/stored-secrets';
import { configOf, type CliContext } from './context';
import { CliError, EXIT } from './exit-codes';
import { withDatabase } from './open-database';

const summary = (c: ResealCounts) =>
  `secrets under the first key of ${ENCRYPTION_KEY_VARIABLE}: ${c.sealed} plain values encrypted, ` +
  `${c.rewritten} re-encrypted from an older key, ${c.unreadable} unreadable\n`;

/**
 * Rewrites every stored secret that is not under the first key of HOOKPORT_ENCRYPTION_KEY (plain,
 * or under an older key of the list), on the database the settings name, as start-up opens it.
 */
async function reencrypt(ctx: CliContext): Promise<number> {
  const config = configOf(ctx);
  if (!config.secretBox.enabled)
    throw new CliError(
      `${ENCRYPTION_KEY_VARIABLE} is not set: set it to the new key, followed by the old ones (comma-separated)`,
      EXIT.config,
    );
  return withDatabase(config, createLogger(config.logLevel), async (db) => {
    const counts = await resealAll(db, config.secretBox, storedSecretFields(ctx.registry), { rewrap: true });
    ctx.out.write(summary(counts));
    if (counts.unreadable === 0) return EXIT.ok;
    ctx.err.write(
      `hookport: ${counts.unreadable} stored secrets open under no key of ${ENCRYPTION_KEY_VARIABLE}: ` +
        'add the key they were encrypted with to the list and run again (they were left as they are)\n',
    );
    return EXIT.failed;
  });
}

export function addSecretsCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  const secrets = program.command('secrets').description('the secrets Hookport stores, encrypted at rest');
  secrets
    .command('reencrypt')
    .description(`rewrite every stored secret under the first key of ${ENCRYPTION_KEY_VARIABLE} (after a rotation)`)
    .addHelpText(
      'after',
      '\nOpens the database itself (with the embedded database, stop the server first).\n' +
        'Exit codes: 0 every value is under the first key, 1 some value opens under no key, 78 no key set.',
    )
    .action(async () => done(await reencrypt(ctx)));
}

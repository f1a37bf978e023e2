import { createInterface } from 'node:readline';
import type { CliContext } from './context';
import { CliError, EXIT } from './exit-codes';

/** Refuses (bad usage) when stdin is not a terminal: no one could answer a question there. */
export function assertTerminal(ctx: CliContext, action: string, skipFlag: string): void {
  if (!ctx.input?.isTTY)
    throw new CliError(`${action}: not asked, stdin is not a terminal; add ${skipFlag} to confirm`, EXIT.usage);
}

/**
 * Asks `question` on a terminal and resolves true only for "y" or "yes". Without a terminal (a
 * script, a pipe) nothing can answer, so it refuses as bad usage and names the flag that skips it.
 */
export async function confirm(ctx: CliContext, question: string, skipFlag: string): Promise<boolean> {
  assertTerminal(ctx, question.replace(/\?$/, ''), skipFlag);
  const input = ctx.input!;
  ctx.out.write(`${question} [y/N] `);
  const rl = createInterface({ input, terminal: false });
  // The first line answers; the end of input (Ctrl-D) is a no.
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

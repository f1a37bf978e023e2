/** Runs a bench script's main: exit 0 when it resolves, 1 with the stack on stderr when it throws. */
export function runEntry(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${name}: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}

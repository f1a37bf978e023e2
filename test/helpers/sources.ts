import { providers } from '../../providers';
import { sourcesProvider } from '../../providers/sources';
import type { Input } from '../../providers/sources/command-verification';
import { sourceCommandsReading } from '../../providers/sources/commands';
import type { ProviderRegistry } from '../../src/contract/provider';

/** The registry with the sources' commands reading `input` as their stdin (the CLI's read process.stdin). */
export function managedSources(input: () => Input = () => process.stdin): ProviderRegistry {
  return { ...providers, sources: { ...sourcesProvider, commands: sourceCommandsReading(input) } };
}

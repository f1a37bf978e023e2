import { providers } from '../../providers';
import { sourcesProvider } from '../../providers/sources';
import { sourceAdminRoutes } from '../../providers/sources/admin-routes';
import { sourceAuditActions } from '../../providers/sources/audit';
import type { Input } from '../../providers/sources/command-verification';
import { sourceCommandsReading } from '../../providers/sources/commands';
import { sourceConsolePages } from '../../providers/sources/console';
import type { ProviderRegistry } from '../../src/contract/provider';

/**
 * The registry with the sources' operator surfaces (admin routes, console page, audit actions,
 * commands reading `input` as their stdin) on the sources provider, as providers/sources/index.ts
 * declares them once they are wired there.
 */
export function managedSources(input: () => Input = () => process.stdin): ProviderRegistry {
  return {
    ...providers,
    sources: {
      ...sourcesProvider,
      adminRoutes: sourceAdminRoutes,
      consolePages: sourceConsolePages,
      auditActions: sourceAuditActions,
      commands: sourceCommandsReading(input),
    },
  };
}

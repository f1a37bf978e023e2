import type { AddressInfo } from 'node:net';
import { ConfigError } from './config/config';
import { installedProviders } from './installed';
import { configWarnings, loadConfig } from './contract/load-config';
import { createHttpServer } from './http/http-server';
import { createLogger } from './log/logger';
import { openRuntime } from './runtime';
import { errorMessage } from './errors/error-message';
import { startTracing } from './tracing/setup';

/** npm start: configuration, database, migrations, HTTP server and worker; SIGTERM/SIGINT drain. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, installedProviders);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hookport: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  for (const { variable, message } of configWarnings(config, installedProviders)) {
    logger.warn('configuration warning', { variable, reason: message });
  }
  // Before anything that may take a span: the global tracer is the SDK's from here on.
  const tracing = await startTracing(config.tracing, logger);
  const runtime = await openRuntime(config, logger, installedProviders);
  const server = createHttpServer(runtime.app, config.http).listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info('hookport listening', {
      host: config.host,
      port,
      database: runtime.database.driver,
      worker: config.worker.enabled,
    });
  });
  server.on('error', (err) => {
    logger.error('HTTP server error', { error: err.message });
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.warn('shutdown timeout: closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    force.unref();
    // Stop accepting; in-flight requests finish (each either commits and answers 200, or fails with 503).
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close(); // the worker finishes the events in hand, then the database closes
    await tracing.shutdown(); // the spans of those events are exported too
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`hookport: failed to start: ${errorMessage(err)}\n`);
  process.exit(1);
});

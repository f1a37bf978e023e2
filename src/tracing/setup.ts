import type { Logger } from 'winston';
import { version } from '../config/version';
import { errorMessage } from '../errors/error-message';
import { markTracingOn } from './state';
import type { TracingSettings } from '../config/tracing';

export interface Tracing {
  /** Exports the spans still buffered, then stops (at shutdown, after the worker has drained). */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { shutdown: async () => {} };

/**
 * Starts the OpenTelemetry SDK for Node when an OTLP endpoint is set; otherwise loads nothing. The
 * SDK configures itself from the standard OTEL_* variables (endpoint, protocol, headers, sampler,
 * resource attributes). Hookport asks it for traces only: its metrics are on /metrics and its logs
 * on stdout, so the SDK's metric and log exporters stay off unless an operator names one.
 */
export async function startTracing(settings: TracingSettings, logger: Logger): Promise<Tracing> {
  if (!settings.enabled) return OFF;
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const [{ NodeSDK }, { defaultResource, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/resources'),
  ]);
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: defaultResource().merge(resourceFromAttributes({ 'service.version': version })),
  });
  sdk.start();
  markTracingOn(true);
  logger.info('tracing on', { protocol: settings.protocol, serviceName: settings.serviceName });
  return {
    shutdown: async () => {
      markTracingOn(false);
      try {
        await sdk.shutdown();
      } catch (err) {
        logger.warn('could not export the last spans', { error: errorMessage(err) });
      }
    },
  };
}

import { z } from 'zod';
import { bool, httpUrl, optionalText } from './env';

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

const protocol = optionalText.pipe(z.enum(PROTOCOLS, `must be one of ${PROTOCOLS.join(', ')}`).optional());

/**
 * The standard OpenTelemetry variables Hookport reads (the SDK reads them too, and every other OTEL_*
 * variable: headers, timeouts, resource attributes). Checked here so a typo stops start-up with the
 * variable's name instead of turning tracing silently off.
 */
export const tracingEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_SERVICE_NAME: optionalText,
  OTEL_TRACES_SAMPLER: optionalText.pipe(z.enum(SAMPLERS, `must be one of ${SAMPLERS.join(', ')}`).optional()),
  OTEL_TRACES_SAMPLER_ARG: optionalText.pipe(
    z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
      .optional(),
  ),
  OTEL_TRACES_EXPORTER: optionalText,
  OTEL_SDK_DISABLED: bool(false),
};

type TracingEnv = z.output<z.ZodObject<typeof tracingEnv>>;

export interface TracingSettings {
  /** An OTLP endpoint is set and nothing turns tracing off: the SDK is loaded and spans are exported. */
  enabled: boolean;
  protocol: (typeof PROTOCOLS)[number];
  serviceName: string;
}

export function tracingSettings(e: TracingEnv): TracingSettings {
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporters = (e.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((s) => s.trim());
  return {
    enabled: endpoint !== undefined && !e.OTEL_SDK_DISABLED && !exporters.includes('none'),
    protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    serviceName: e.OTEL_SERVICE_NAME ?? 'hookport',
  };
}

import { ConfigError } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';
import { startTracing } from '../../src/tracing/setup';
import { tracingOn } from '../../src/tracing/state';
import { startWebhookSpan } from '../../src/tracing/webhook-span';
import { startDeliverySpan } from '../../src/tracing/delivery-span';
import { batchSpans } from '../../src/tracing/worker-spans';
import { loadConfig } from '../helpers/config';
import { thrown } from './thrown';

const configError = (env: NodeJS.ProcessEnv) => thrown(ConfigError, () => loadConfig(env)).message;
const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

describe('tracing settings (the standard OTEL_* variables)', () => {
  it('are off without an OTLP endpoint', () => {
    expect(loadConfig({}).tracing).toEqual({ enabled: false, protocol: 'http/protobuf', serviceName: 'hookport' });
  });

  it('are on with an endpoint (or a traces endpoint), http/protobuf by default, as service "hookport"', () => {
    expect(loadConfig(ENDPOINT).tracing.enabled).toBe(true);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).tracing).toEqual({
      enabled: true,
      protocol: 'http/protobuf',
      serviceName: 'hookport',
    });
    expect(
      loadConfig({
        ...ENDPOINT,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'hooks-east',
      }).tracing,
    ).toEqual({ enabled: true, protocol: 'http/json', serviceName: 'hooks-east' });
  });

  it('stay off when the SDK is disabled or the traces exporter is none', () => {
    expect(loadConfig({ ...ENDPOINT, OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
    expect(loadConfig({ ...ENDPOINT, OTEL_TRACES_EXPORTER: 'none' }).tracing.enabled).toBe(false);
  });

  it('stop start-up on a value the SDK would ignore, naming the variable', () => {
    expect(configError({ ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'http' })).toContain('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(configError({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(configError({ ...ENDPOINT, OTEL_TRACES_SAMPLER: 'ratio' })).toContain('OTEL_TRACES_SAMPLER');
    expect(configError({ ...ENDPOINT, OTEL_TRACES_SAMPLER_ARG: '1.5' })).toContain('OTEL_TRACES_SAMPLER_ARG');
  });
});

describe('tracing off', () => {
  it('takes no span anywhere', async () => {
    const tracing = await startTracing(loadConfig({}).tracing, createLogger('error', true));
    expect(tracingOn()).toBe(false);
    expect(startWebhookSpan('/webhooks/:provider')).toBeUndefined();
    const facts = { deliveryId: 'd', subscriptionId: 's', webhookId: 'w', eventType: 't', attempt: 1 };
    expect(startDeliverySpan({ ...facts, url: 'https://example.com/hook' })).toBeUndefined();
    const spans = batchSpans([{ id: 'e', provider: 'p', eventType: 't', attempts: 1, traceparent: null }]);
    expect(spans.run(0, () => 'ran')).toBe('ran');
    await tracing.shutdown();
  });
});

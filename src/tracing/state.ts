import { trace, type Tracer } from '@opentelemetry/api';
import { version } from '../config/version';

let on = false;

/**
 * Whether spans are recorded. Off (no OTLP endpoint), the request path, the worker and the
 * deliveries take no span, context or header step at all: tracing off costs nothing.
 */
export const tracingOn = (): boolean => on;

/** Set once the SDK is registered (setup.ts); tests of a process with tracing turn it on there. */
export function markTracingOn(value: boolean): void {
  on = value;
}

/** Hookport's one tracer (the global provider's: the SDK's once registered). */
export const tracer = (): Tracer => trace.getTracer('hookport', version);

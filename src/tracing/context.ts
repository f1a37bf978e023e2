import { context, isSpanContextValid, trace, ROOT_CONTEXT, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Always W3C, whatever OTEL_PROPAGATORS says: the inbox column and the delivery header are the
// contract's `traceparent`.
const w3c = new W3CTraceContextPropagator();

const setter = { set: (carrier: Record<string, string>, key: string, value: string) => (carrier[key] = value) };
const getter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

/** The W3C `traceparent` of a span (`00-<trace id>-<span id>-<flags>`), to store or to send. */
export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, setter);
  return carrier.traceparent;
}

/** The context a stored `traceparent` names, for spans that continue its trace; the root context without one. */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, { traceparent }, getter);
}

/** The trace id a stored `traceparent` names (`00-<trace id>-<span id>-<flags>`). */
export const traceIdOf = (traceparent: string): string | undefined => traceparent.split('-')[1];

/** Runs `fn` with `span` active, so the log lines it writes carry its trace id. */
export const withSpan = <T>(span: Span, fn: () => T): T => context.with(trace.setSpan(context.active(), span), fn);

/** The active span's trace id, for log lines; undefined outside a span. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

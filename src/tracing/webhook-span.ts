import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { tracingOn, tracer } from './state';

/**
 * The server span of one webhook request, or nothing with tracing off. Always a new trace: a
 * provider's request carries no context Hookport should trust (a sender could pick the trace id).
 */
export function startWebhookSpan(route: string): Span | undefined {
  if (!tracingOn()) return undefined;
  return tracer().startSpan(`POST ${route}`, {
    kind: SpanKind.SERVER,
    root: true,
    attributes: { 'http.request.method': 'POST', 'http.route': route },
  });
}

/** What the answer was: names and ids only (never a header, a body or a credential). */
export interface WebhookAnswer {
  provider: string;
  outcome: string;
  /** Unset when the sender hung up before an answer. */
  status?: number;
  eventType?: string;
  id?: string;
}

export function endWebhookSpan(span: Span, answer: WebhookAnswer): void {
  span.setAttributes({ 'hookport.provider': answer.provider, 'hookport.outcome': answer.outcome });
  if (answer.status !== undefined) span.setAttribute('http.response.status_code', answer.status);
  if (answer.eventType !== undefined) span.setAttribute('hookport.event_type', answer.eventType);
  if (answer.id !== undefined) span.setAttribute('hookport.webhook_event.id', answer.id);
  // Server spans are errors for 5xx only: a 4xx is the sender's problem (OpenTelemetry's HTTP conventions).
  if (answer.status === undefined || answer.status >= 500)
    span.setStatus({ code: SpanStatusCode.ERROR, message: answer.outcome });
  span.end();
}

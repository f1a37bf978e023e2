import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { contextOf } from './context';
import { tracingOn, tracer } from './state';

/** What a delivery span may say of an attempt: ids, the receiver's host, never its URL (a Slack URL is a credential). */
export interface AttemptFacts {
  deliveryId: string;
  subscriptionId: string;
  webhookId: string;
  eventType: string;
  attempt: number;
  url: string;
  traceparent?: string | null;
}

/** The client span of one delivery attempt, in the trace of the webhook it came from; nothing with tracing off. */
export function startDeliverySpan(facts: AttemptFacts): Span | undefined {
  if (!tracingOn()) return undefined;
  const url = new URL(facts.url);
  return tracer().startSpan(
    'POST',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'POST',
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        'hookport.delivery.id': facts.deliveryId,
        'hookport.subscription.id': facts.subscriptionId,
        'hookport.webhook.id': facts.webhookId,
        'hookport.event_type': facts.eventType,
        'hookport.attempt': facts.attempt,
      },
    },
    contextOf(facts.traceparent),
  );
}

export function endDeliverySpan(span: Span, status: number | null, durationMs: number): void {
  if (status !== null) span.setAttribute('http.response.status_code', status);
  span.setAttribute('hookport.duration_ms', durationMs);
  if (status === null || status >= 400 || status < 200)
    span.setStatus({ code: SpanStatusCode.ERROR, message: status === null ? 'no answer' : `answered ${status}` });
  span.end();
}

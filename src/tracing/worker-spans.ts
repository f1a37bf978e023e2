import { SpanKind, SpanStatusCode, type Link, type Span } from '@opentelemetry/api';
import { contextOf, withSpan } from './context';
import { tracingOn, tracer } from './state';

/** What the worker knows of an inbox row it holds. */
interface HeldEvent {
  id: string;
  provider: string;
  eventType: string;
  attempts: number;
  traceparent: string | null;
}

/** The spans of one claimed batch: each event's processing in its request's trace, the shared commit linked to them. */
export interface BatchSpans {
  /** Runs `fn` inside event `i`'s span. */
  run<T>(i: number, fn: () => T): T;
  /** Runs `fn` inside a span for the one transaction that applies several events, linked to each. */
  together<T>(indexes: readonly number[], fn: () => Promise<T>): Promise<T>;
  /** Ends every event's span with its outcome. */
  end(outcomes: readonly string[]): void;
}

const UNTRACED: BatchSpans = {
  run: (_i, fn) => fn(),
  together: (_indexes, fn) => fn(),
  end: () => {},
};

const FAILED = new Set(['failed', 'dead', 'lost']);

export function batchSpans(events: readonly HeldEvent[]): BatchSpans {
  if (!tracingOn()) return UNTRACED;
  const spans: Span[] = events.map((e) =>
    tracer().startSpan(
      `process ${e.provider}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'hookport.provider': e.provider,
          'hookport.event_type': e.eventType,
          'hookport.webhook_event.id': e.id,
          'hookport.attempt': e.attempts,
          'hookport.batch.size': events.length,
        },
      },
      contextOf(e.traceparent),
    ),
  );
  return {
    run: (i, fn) => withSpan(spans[i]!, fn),
    together: async (indexes, fn) => {
      const links: Link[] = indexes.map((i) => ({ context: spans[i]!.spanContext() }));
      const span = tracer().startSpan('apply batch', {
        root: true,
        links,
        attributes: { 'hookport.batch.size': indexes.length },
      });
      try {
        return await withSpan(span, fn);
      } catch (err) {
        // The batch falls back to one transaction per event; each event's span records its own outcome.
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'batch not applied; applied one by one' });
        throw err;
      } finally {
        span.end();
      }
    },
    end: (outcomes) =>
      spans.forEach((span, i) => {
        const outcome = outcomes[i] ?? 'lost';
        span.setAttribute('hookport.outcome', outcome);
        if (FAILED.has(outcome)) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        span.end();
      }),
  };
}

import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { contextOfHeaders, traceHeaders, tracer, tracingEnabled } from '../observability/tracing';
import type { ApplyOutcome, PositionedEvent } from './event-batch';

/**
 * The projector's part of each order's trace: every event gets an `apply <type>` span, child of the span that
 * published it (the W3C trace context in the message's headers), lasting the transaction that applied it,
 * whose `traceparent` goes on in the NOTIFY that announces the change, up to the live streams' push. A
 * transaction of one event runs inside that span (its PostgreSQL queries are traced there); one of many
 * events runs in a `projector transaction` span of its own, linked to each event's.
 */
export async function traceApplying<Item extends PositionedEvent & { message: KafkaMessage }>(
  run: Item[],
  apply: (run: Item[]) => Promise<ApplyOutcome[]>,
): Promise<ApplyOutcome[]> {
  if (!tracingEnabled()) return apply(run);
  const spans: Span[] = run.map(({ event, message, position }) =>
    tracer().startSpan(
      `apply ${event.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'kafka', 'messaging.kafka.partition': position.partition, 'messaging.kafka.offset': position.offset, 'order.id': event.orderId, 'order.event.sequence': event.sequence },
      },
      contextOfHeaders(message.headers),
    ),
  );
  const traced = run.map((item, index) => ({ ...item, traceparent: traceHeaders(trace.setSpan(context.active(), spans[index]!)).traceparent }));
  const batch = spans.length === 1 ? spans[0]! : tracer().startSpan('projector transaction', { links: spans.map((span) => ({ context: span.spanContext() })), attributes: { 'projector.events': run.length } });
  try {
    const outcomes = await context.with(trace.setSpan(context.active(), batch), () => apply(traced));
    spans.forEach((span, index) => span.setAttribute('projector.outcome', outcomes[index] ?? 'not reached'));
    return outcomes;
  } catch (error) {
    for (const span of spans) {
      span.recordException(error as Error);
      span.setStatus({ code: 2, message: (error as Error).message });
    }
    throw error;
  } finally {
    spans.forEach((span) => span.end());
    if (batch !== spans[0]) batch.end();
  }
}

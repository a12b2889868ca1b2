import { SpanKind } from '@opentelemetry/api';
import { contextOfHeaders, inSpan, tracingEnabled } from '../observability/tracing';
import type { OrderChange } from '../projections/order-changes-listener';

/**
 * The live stream's push of an order change, as the last span of the order's trace: a child of the
 * projector's apply span, whose trace context came with the change's NOTIFY. Untraced changes just run.
 */
export function pushSpan<Result>(change: OrderChange | undefined, stream: 'all' | 'order', push: () => Promise<Result>): Promise<Result> {
  if (!tracingEnabled() || change?.kind !== 'event' || change.traceparent === undefined) return push();
  const attributes = { 'order.id': change.orderId, 'order.event.sequence': change.sequence, 'sse.stream': stream };
  return inSpan('sse push', { kind: SpanKind.PRODUCER, attributes }, contextOfHeaders({ traceparent: change.traceparent }), push);
}

import { context, SpanKind } from '@opentelemetry/api';
import type { Message, Producer } from 'kafkajs';
import type { LoggedOrderEvent } from '../contracts/upcasters';
import { TOPICS } from '../contracts/names';
import { inSpan, traceHeaders, tracingEnabled } from '../observability/tracing';
import { batchingSender } from './batching-sender';

export interface PublisherDeps {
  /** An idempotent producer (`idempotent: true`), so a retried send is not written twice by the broker. */
  producer: Producer;
  topic?: string;
}

/** An order event as a Kafka message: keyed by order id, so one order stays on one partition; type, version and id also as headers. */
export function orderEventMessage(event: LoggedOrderEvent): Message {
  return {
    key: event.orderId,
    value: JSON.stringify(event),
    headers: { 'event-type': event.type, 'schema-version': String(event.schemaVersion), 'event-id': event.eventId },
  };
}

/** The message with the W3C trace context of the span that published it (`traceparent`, `tracestate`) among its headers. */
const tracedMessage = (event: LoggedOrderEvent, traceContext: Record<string, string> = {}): Message => {
  const message = orderEventMessage(event);
  return { ...message, headers: { ...message.headers, ...traceContext } };
};

/**
 * Publishes order events to the one topic of order events, keyed by order id so one order stays on one
 * partition. Events of many orders published at the same time share one produce request: the producer allows
 * one request in flight (idempotence), so one request per event would queue every order behind the others.
 */
export function createPublisherActivities({ producer, topic = TOPICS.orderEvents }: PublisherDeps) {
  const send = batchingSender<{ event: LoggedOrderEvent; traceContext?: Record<string, string> }>(async (items) => {
    await producer.send({ topic, acks: -1, messages: items.map(({ event, traceContext }) => tracedMessage(event, traceContext)) });
  });
  return {
    async publishEvent(event: LoggedOrderEvent): Promise<void> {
      if (!tracingEnabled()) return send({ event });
      // The trace context of this event's own span (W3C `traceparent`) rides in its message's headers, taken
      // now rather than when the shared produce request goes out, so each message continues its own order's trace.
      const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'order.id': event.orderId, 'order.event.type': event.type, 'order.event.sequence': event.sequence };
      await inSpan(`publish ${event.type}`, { kind: SpanKind.PRODUCER, attributes }, context.active(), () => send({ event, traceContext: traceHeaders() }));
    },
  };
}

export type PublisherActivities = ReturnType<typeof createPublisherActivities>;

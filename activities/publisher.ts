import type { Message, Producer } from 'kafkajs';
import { TOPICS } from '../contracts/names';
import type { LoggedOrderEvent } from '../contracts/upcasters';
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

/**
 * Publishes order events to the one topic of order events, keyed by order id so one order stays on one
 * partition. Events of many orders published at the same time share one produce request: the producer allows
 * one request in flight (idempotence), so one request per event would queue every order behind the others.
 */
export function createPublisherActivities({ producer, topic = TOPICS.orderEvents }: PublisherDeps) {
  const send = batchingSender<LoggedOrderEvent>(async (events) => {
    await producer.send({ topic, acks: -1, messages: events.map(orderEventMessage) });
  });
  return {
    async publishEvent(event: LoggedOrderEvent): Promise<void> {
      await send(event);
    },
  };
}

export type PublisherActivities = ReturnType<typeof createPublisherActivities>;

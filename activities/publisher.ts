import type { Message, Producer } from 'kafkajs';
import type { OrderEvent } from '../contracts/events';
import { TOPICS } from '../contracts/names';

export interface PublisherDeps {
  /** An idempotent producer (`idempotent: true`), so a retried send is not written twice by the broker. */
  producer: Producer;
  topic?: string;
}

/** An order event as a Kafka message: keyed by order id, so one order stays on one partition; type, version and id also as headers. */
export function orderEventMessage(event: OrderEvent): Message {
  return {
    key: event.orderId,
    value: JSON.stringify(event),
    headers: { 'event-type': event.type, 'schema-version': String(event.schemaVersion), 'event-id': event.eventId },
  };
}

/** Publishes order events to the one topic of order events, keyed by order id so one order stays on one partition. */
export function createPublisherActivities({ producer, topic = TOPICS.orderEvents }: PublisherDeps) {
  return {
    async publishEvent(event: OrderEvent): Promise<void> {
      await producer.send({
        topic,
        acks: -1,
        messages: [orderEventMessage(event)],
      });
    },
  };
}

export type PublisherActivities = ReturnType<typeof createPublisherActivities>;

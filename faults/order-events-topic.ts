import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { OrderEvent } from '../contracts/events';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { readOrderEvent } from '../projections/event-message';

export interface TopicEvents {
  /** Every valid event of the chosen orders, in topic order (each order's events are on one partition). */
  events: OrderEvent[];
  /** Order ids (from the message key) of chosen orders' messages that are not valid events. */
  unreadable: string[];
}

/**
 * Reads the order events topic from the beginning up to its end as of now, with a consumer group of its
 * own that commits nothing, and keeps the events of the orders `wanted` picks by their OrderPlaced event.
 */
export async function readOrderEventsTopic(
  kafka: Kafka,
  wanted: (placed: Extract<OrderEvent, { type: 'OrderPlaced' }>) => boolean,
  { topic = TOPICS.orderEvents, timeoutMs = 120_000 } = {},
): Promise<TopicEvents> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));

  const chosen = new Set<string>();
  const result: TopicEvents = { events: [], unreadable: [] };
  const consumer = kafka.consumer({ groupId: `bubble-tea.fault-suite-reader.${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`could not read ${topic} to its end within ${timeoutMs / 1000}s`)), timeoutMs);
      const finishIfDone = () => remaining.size === 0 && (clearTimeout(timer), resolve());
      finishIfDone();
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (!remaining.has(partition)) return;
          const read = readOrderEvent(message.value);
          const event = read.event;
          if (event?.type === 'OrderPlaced' && wanted(event)) chosen.add(event.orderId);
          const orderId = event?.orderId ?? message.key?.toString();
          if (orderId !== undefined && chosen.has(orderId)) {
            if (event) result.events.push(event);
            else result.unreadable.push(orderId);
          }
          if (Number(message.offset) + 1 >= remaining.get(partition)!) remaining.delete(partition);
          finishIfDone();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return result;
}

/** Messages of the topic the projector's consumer group has not committed yet (0: it has applied everything). */
export async function projectorLagOf(kafka: Kafka, { topic = TOPICS.orderEvents, groupId = CONSUMER_GROUPS.projector } = {}): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedOf = new Map(committed?.partitions.map((partition) => [partition.partition, Number(partition.offset)]));
    return ends.reduce((lag, end) => lag + Number(end.high) - Math.max(committedOf.get(end.partition) ?? -1, Number(end.low)), 0);
  } finally {
    await admin.disconnect();
  }
}

import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { OrderEvent } from '../contracts/events';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { readOrderEvent } from './event-message';

/* Reading the log of order events as a whole, and how far a consumer group is behind it: for verify, status and the fault suite. */

export interface TopicEvents {
  /** Every valid event of the chosen orders, in topic order (each order's events are on one partition). */
  events: OrderEvent[];
  /** Order ids (from the message key) of chosen orders' messages that are not valid events. */
  unreadable: string[];
  /** Per partition, the offset it was read up to (its end when the reading began). */
  ends: Map<number, number>;
}

/**
 * Reads the order events topic from the beginning up to its end as of now, with a consumer group of its
 * own that commits nothing (and is deleted after), and keeps the events (upcast to their current version)
 * of the orders `wanted` picks by their OrderPlaced event.
 */
export async function readOrderEventsTopic(
  kafka: Kafka,
  wanted: (placed: Extract<OrderEvent, { type: 'OrderPlaced' }>) => boolean,
  { topic = TOPICS.orderEvents as string, timeoutMs = 120_000 } = {},
): Promise<TopicEvents> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));

  const chosen = new Set<string>();
  const result: TopicEvents = { events: [], unreadable: [], ends: new Map(ends.map((end) => [end.partition, Number(end.high)])) };
  const groupId = `bubble-tea.log-reader.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
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
    await deleteGroup(kafka, groupId);
  }
  return result;
}

/** Removes a consumer group nobody uses any more; one that cannot be removed now is left for the broker to expire. */
export async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
}

export interface PartitionLag {
  partition: number;
  /** The end of the partition: the offset its next message will have. */
  end: number;
  /** How many of its messages the group has not committed yet. */
  lag: number;
}

/** Per partition, the messages the consumer group has not committed yet (0: it has applied everything). */
export async function partitionLagsOf(kafka: Kafka, { topic = TOPICS.orderEvents as string, groupId = CONSUMER_GROUPS.projector as string } = {}): Promise<PartitionLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedOf = new Map(committed?.partitions.map((partition) => [partition.partition, Number(partition.offset)]));
    return ends.map((end) => ({ partition: end.partition, end: Number(end.high), lag: Number(end.high) - Math.max(committedOf.get(end.partition) ?? -1, Number(end.low)) }));
  } finally {
    await admin.disconnect();
  }
}

/** Messages of the topic the projector's consumer group has not committed yet (0: it has applied everything). */
export async function projectorLagOf(kafka: Kafka, options: { topic?: string; groupId?: string } = {}): Promise<number> {
  return (await partitionLagsOf(kafka, options)).reduce((total, partition) => total + partition.lag, 0);
}

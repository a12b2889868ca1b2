import type { Kafka } from 'kafkajs';
import { ORDER_EVENTS_PARTITIONS, TOPICS } from '../contracts/names';

/**
 * Creates the order events topic and its dead-letter topic when missing (the broker does not auto-create).
 * Existing topics are left as they are: adding partitions would move keys, and so orders, between partitions.
 */

export interface OrderTopicNames {
  orderEvents: string;
  deadLetter: string;
}

export const ORDER_TOPIC_NAMES: OrderTopicNames = { orderEvents: TOPICS.orderEvents, deadLetter: TOPICS.orderEventsDeadLetter };

export async function ensureOrderTopics(kafka: Kafka, names: OrderTopicNames = ORDER_TOPIC_NAMES): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [
      // Kept forever: a new projector (or a rebuilt read model) replays the whole history from the start.
      { topic: names.orderEvents, numPartitions: ORDER_EVENTS_PARTITIONS, configEntries: [{ name: 'retention.ms', value: '-1' }] },
      { topic: names.deadLetter, numPartitions: 1 },
    ];
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    // Another process may create them at the same moment: createTopics then answers false instead of failing.
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

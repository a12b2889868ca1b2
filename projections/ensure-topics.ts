import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { ensureTopics } from '../config/kafka-topics';
import { ORDER_EVENTS_PARTITIONS, TOPICS } from '../contracts/names';

// kafkajs is CommonJS, and Node's ESM loader does not find these two among its named exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

/*
 * Creates the order events topic and its dead-letter topic when missing (the broker does not auto-create), and
 * makes the order events topic keep every event forever, also when it already exists: the read model is the
 * fold of the whole log, and `npm run projections -- rebuild` replays it from the first event. Partitions of an
 * existing topic are left as they are: adding partitions would move keys, and so orders, between partitions.
 */

export interface OrderTopicNames {
  orderEvents: string;
  deadLetter: string;
}

export const ORDER_TOPIC_NAMES: OrderTopicNames = { orderEvents: TOPICS.orderEvents, deadLetter: TOPICS.orderEventsDeadLetter };

/** Topic settings that keep the log whole: no deletion by age or size, and no compaction (it would keep one event per order). */
export const KEEP_FOREVER: Readonly<Record<string, string>> = { 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete' };

export async function ensureOrderTopics(kafka: Kafka, names: OrderTopicNames = ORDER_TOPIC_NAMES): Promise<void> {
  const configEntries = Object.entries(KEEP_FOREVER).map(([name, value]) => ({ name, value }));
  const wanted = [
    { topic: names.orderEvents, numPartitions: ORDER_EVENTS_PARTITIONS, configEntries },
    { topic: names.deadLetter, numPartitions: 1 },
  ];
  await ensureTopics(kafka, wanted, async (admin, existing) => {
    if (existing.has(names.orderEvents)) await keepForever(admin, names.orderEvents);
  });
}

/** The topic's own settings (not the broker's defaults), by name. */
export async function topicSettingsOf(admin: Admin, topic: string): Promise<Map<string, string>> {
  const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
  const entries = resources[0]?.configEntries ?? [];
  return new Map(entries.filter((entry) => entry.configSource === ConfigSource.TOPIC_CONFIG).map((entry) => [entry.configName, entry.configValue]));
}

/**
 * Alters an existing topic to KEEP_FOREVER when it is not so already. AlterConfigs replaces the topic's whole
 * set of settings, so its other settings are sent along unchanged.
 */
async function keepForever(admin: Admin, topic: string): Promise<void> {
  const settings = await topicSettingsOf(admin, topic);
  if (Object.entries(KEEP_FOREVER).every(([name, value]) => settings.get(name) === value)) return;
  const configEntries = Object.entries({ ...Object.fromEntries(settings), ...KEEP_FOREVER }).map(([name, value]) => ({ name, value }));
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries }] });
}

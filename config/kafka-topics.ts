import type { Admin, ITopicConfig, Kafka } from 'kafkajs';

/**
 * Creates the topics that do not exist yet (the broker does not auto-create them) and answers the names that
 * existed before. Another process may create one at the same moment: createTopics then answers false
 * instead of failing. Topics that exist are left as they are.
 */
export async function ensureTopics(kafka: Kafka, topics: ITopicConfig[], onExisting?: (admin: Admin, existing: ReadonlySet<string>) => Promise<void>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    await onExisting?.(admin, existing);
  } finally {
    await admin.disconnect();
  }
}

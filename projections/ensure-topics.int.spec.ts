import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import { ensureOrderTopics, KEEP_FOREVER, topicSettingsOf, type OrderTopicNames } from './ensure-topics';

/** The order events topic keeps every event, whether this created it or found it made otherwise, on the real broker. */
const kafka = createKafka(loadConfig());
let admin: Admin;
const created: string[] = [];

function names(label: string): OrderTopicNames {
  const topic = `ensure-topics-test.${label}.${randomUUID()}`;
  created.push(topic, `${topic}.dead-letter`);
  return { orderEvents: topic, deadLetter: `${topic}.dead-letter` };
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
});

describe('ensureOrderTopics', () => {
  it('creates the order events topic to keep every event forever', async () => {
    const topics = names('new');
    await ensureOrderTopics(kafka, topics);
    expect(Object.fromEntries(await topicSettingsOf(admin, topics.orderEvents))).toMatchObject(KEEP_FOREVER);
  });

  it('alters an existing topic made with a week of retention, and keeps its other settings', async () => {
    const topics = names('existing');
    await admin.createTopics({
      topics: [{ topic: topics.orderEvents, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '604800000' }, { name: 'max.message.bytes', value: '2000000' }] }],
      waitForLeaders: true,
    });
    await ensureOrderTopics(kafka, topics);
    const settings = Object.fromEntries(await topicSettingsOf(admin, topics.orderEvents));
    expect(settings).toMatchObject({ ...KEEP_FOREVER, 'max.message.bytes': '2000000' });
    const metadata = await admin.fetchTopicMetadata({ topics: [topics.orderEvents] });
    expect(metadata.topics[0]!.partitions).toHaveLength(2);
    // Already right: nothing to alter, and nothing changes.
    await ensureOrderTopics(kafka, topics);
    expect(Object.fromEntries(await topicSettingsOf(admin, topics.orderEvents))).toEqual(settings);
  });
});

import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { createKafka } from '../config/clients';

const config = loadConfig();

describe('Kafka broker', () => {
  it('delivers keyed messages to a consumer group, one partition per key, in order', async () => {
    const kafka = createKafka(config);
    const topic = `stack-check-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });

    const keys = ['order-a', 'order-b', 'order-c', 'order-d', 'order-e'];
    const messages = keys.flatMap((key) => [1, 2, 3, 4].map((sequence) => ({ key, value: JSON.stringify({ key, sequence }) })));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();
    expect(sent.every((record) => record.errorCode === 0)).toBe(true);

    const received: Array<{ key: string; sequence: number; partition: number }> = [];
    const consumer = kafka.consumer({ groupId: `stack-check-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const value = JSON.parse(message.value!.toString()) as { key: string; sequence: number };
          expect(message.key!.toString()).toBe(value.key);
          received.push({ ...value, partition });
          if (received.length === messages.length) resolve();
        },
      });
    });
    await allReceived;
    await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();

    for (const key of keys) {
      const ofKey = received.filter((message) => message.key === key);
      expect(ofKey.map((message) => message.sequence)).toEqual([1, 2, 3, 4]);
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
    }
    expect(new Set(received.map((message) => message.partition)).size).toBeGreaterThan(1);
  });
});

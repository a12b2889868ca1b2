import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TOPICS } from '../../contracts/names';

export interface PublishedEvent {
  partition: number;
  offset: string;
  key: string;
  value: { eventId: string; orderId: string; sequence: number; type: string; occurredAt?: string; data: Record<string, unknown> };
}

/**
 * Reads a whole order events topic, up to the end it has now, and returns the events of the given orders as a
 * consumer sees them: publishing is at least once (a workflow task that fails, for instance because an event
 * arrived as it completed the workflow, runs its local activities again), so a redelivered event counts once.
 * A redelivery has the same eventId, type and data; only `occurredAt` may be later, being the time of the task
 * that published it again. Anything else differing would break the contract, and throws.
 */
export async function publishedEventsOf(kafka: Kafka, orderIds: ReadonlySet<string>, topic: string = TOPICS.orderEvents): Promise<PublishedEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((end) => Number(end.high) > 0).map((end) => [end.partition, Number(end.high)]));

  const found: PublishedEvent[] = [];
  const consumer = kafka.consumer({ groupId: `e2e-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out reading the order events topic')), 60_000);
      const done = () => remaining.size === 0 && (clearTimeout(timer), resolve());
      done();
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const key = message.key?.toString() ?? '';
          if (orderIds.has(key)) found.push({ partition, offset: message.offset, key, value: JSON.parse(message.value!.toString()) });
          if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
          done();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return withoutRedeliveries(found);
}

function withoutRedeliveries(events: PublishedEvent[]): PublishedEvent[] {
  const first = new Map<string, PublishedEvent>();
  for (const event of events) {
    const seen = first.get(event.value.eventId);
    if (!seen) first.set(event.value.eventId, event);
    else if (JSON.stringify({ ...seen.value, occurredAt: undefined }) !== JSON.stringify({ ...event.value, occurredAt: undefined })) {
      throw new Error(`event ${event.value.eventId} was published twice with different content: ${JSON.stringify(seen.value)} then ${JSON.stringify(event.value)}`);
    }
  }
  return [...first.values()];
}

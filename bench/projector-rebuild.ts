import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import type pg from 'pg';
import pino from 'pino';
import { orderEventMessage } from '../activities/publisher';
import type { AppConfig } from '../config/app-config';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import type { OrderState } from '../contracts/order-state';
import { ensureOrderTopics } from '../projections/ensure-topics';
import { insertOrderRows } from '../projections/apply-event';
import { createProjector } from '../projections/projector';
import { rebuildReadModel } from '../projections/rebuild';
import { countEvents } from '../projections/testing/event-counts';
import { orderHistory } from '../projections/testing/order-event-fixtures';
import { createScratchDatabase } from '../projections/testing/scratch-database';
import type { Progress } from './progress';
import { perSecond } from './stats';

/*
 * The projector rebuilding a read model from a whole topic into an empty database, against the floor of
 * writing the same rows straight into PostgreSQL with multi-row INSERTs.
 */

export interface RebuildResult {
  events: number;
  projectorEventsPerSecond: number;
  rawInsertEventsPerSecond: number;
  /** `npm run projections -- rebuild` of the same read model from the same topic: copy, catch-up and swap. */
  rebuildCommandEventsPerSecond: number;
}

async function fillTopic(kafka: Kafka, topic: string, events: OrderEvent[]): Promise<void> {
  await ensureOrderTopics(kafka, { orderEvents: topic, deadLetter: `${topic}.dead-letter` });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let start = 0; start < events.length; start += 1000) {
    await producer.send({ topic, acks: -1, messages: events.slice(start, start + 1000).map(orderEventMessage) });
  }
  await producer.disconnect();
}

async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

async function rawInsert(pool: pg.Pool, histories: OrderEvent[][]): Promise<void> {
  const client = await pool.connect();
  try {
    for (let start = 0; start < histories.length; start += 250) {
      const batch = histories.slice(start, start + 250);
      const states = batch.map((events) => events.reduce<OrderState | undefined>(evolve, undefined)!);
      await client.query('begin');
      const insert = insertOrderRows('orders', states);
      await client.query(insert.text, insert.values);
      const events = batch.flat();
      await client.query(
        `insert into order_events (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
         select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[], $8::int[], $9::bigint[])`,
        [
          events.map((event) => event.orderId),
          events.map((event) => event.sequence),
          events.map((event) => event.eventId),
          events.map((event) => event.type),
          events.map((event) => event.schemaVersion),
          events.map((event) => event.occurredAt),
          events.map((event) => JSON.stringify(event)),
          events.map(() => 0),
          events.map((_, index) => start + index),
        ],
      );
      await client.query('commit');
    }
  } finally {
    client.release();
  }
}

export async function benchRebuild(config: AppConfig, kafka: Kafka, orders: number, bar: (label: string, total: number) => Progress): Promise<RebuildResult> {
  const histories = Array.from({ length: orders }, (_, index) => orderHistory(index));
  const events = histories.flat();
  const topic = `bench.order-events.${randomUUID().slice(0, 8)}`;
  await fillTopic(kafka, topic, events);
  const projected = await createScratchDatabase(config.database.url, { prefix: 'bench_rebuild' });
  const raw = await createScratchDatabase(config.database.url, { prefix: 'bench_raw' });
  try {
    const projecting = bar('projector rebuild', events.length);
    const projector = createProjector({ kafka, pool: projected.pool, logger: pino({ level: 'silent' }), groupId: `${topic}.projector`, topic, deadLetterTopic: `${topic}.dead-letter` });
    const started = Date.now();
    await projector.start();
    for (let done = 0; done < events.length; done = await countEvents(projected.pool)) {
      projecting.update(done);
      if (Date.now() - started > 300_000) throw new Error(`the projector applied ${done} of ${events.length} events in 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const projectorMs = Date.now() - started;
    await projector.stop();
    const projectorEventsPerSecond = perSecond(events.length, projectorMs);
    projecting.finish(`${projectorEventsPerSecond.toFixed(0)} events/s`);

    const rebuilding = bar('rebuild command', events.length);
    const rebuilt = await rebuildReadModel({ kafka, databaseUrl: projected.url, logger: pino({ level: 'silent' }), topic, onProgress: ({ done }) => rebuilding.update(done) });
    const rebuildCommandEventsPerSecond = rebuilt.eventsPerSecond;
    rebuilding.finish(`${rebuildCommandEventsPerSecond.toFixed(0)} events/s`);

    const inserting = bar('raw PostgreSQL inserts', events.length);
    const rawStarted = Date.now();
    await rawInsert(raw.pool, histories);
    const rawInsertEventsPerSecond = perSecond(events.length, Date.now() - rawStarted);
    inserting.finish(`${rawInsertEventsPerSecond.toFixed(0)} events/s`);
    return { events: events.length, projectorEventsPerSecond, rawInsertEventsPerSecond, rebuildCommandEventsPerSecond };
  } finally {
    await projected.drop();
    await raw.drop();
    await deleteTopics(kafka, [topic, `${topic}.dead-letter`]);
  }
}

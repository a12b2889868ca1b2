import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { partitionLagsOf, type PartitionLag } from './order-log';
import { REBUILD_SCHEMA } from './read-model-copy';

/* `npm run projections -- status`: how far the read model is behind the log, and what waits for an operator. */

export interface ReadModelStatus {
  partitions: PartitionLag[];
  /** Messages of the log the projector has not committed yet. */
  lag: number;
  orders: number;
  events: number;
  /** When the last event was applied, if any. */
  lastAppliedAt: Date | null;
  parkedOrders: number;
  parkedEvents: number;
  /** Messages in the dead-letter topic. */
  deadLettered: number;
  /** A copy is being built (or a rebuild was interrupted: the next one starts afresh). */
  rebuildInProgress: boolean;
}

export interface StatusOptions {
  kafka: Kafka;
  pool: Pool;
  topic?: string;
  deadLetterTopic?: string;
  groupId?: string;
}

async function messagesIn(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((total, { high, low }) => total + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function readModelStatus(options: StatusOptions): Promise<ReadModelStatus> {
  const { kafka, pool, topic = TOPICS.orderEvents, deadLetterTopic = TOPICS.orderEventsDeadLetter, groupId = CONSUMER_GROUPS.projector } = options;
  const partitions = await partitionLagsOf(kafka, { topic, groupId });
  const { rows } = await pool.query<{ orders: string; events: string; last_applied_at: Date | null; parked_orders: string; parked_events: string; rebuilding: boolean }>(
    `select (select count(*) from orders) as orders,
            (select count(*) from order_events) as events,
            (select max(applied_at) from order_events) as last_applied_at,
            (select count(*) from parked_orders) as parked_orders,
            (select count(*) from parked_events) as parked_events,
            exists (select 1 from pg_namespace where nspname = $1) as rebuilding`,
    [REBUILD_SCHEMA],
  );
  const row = rows[0]!;
  return {
    partitions,
    lag: partitions.reduce((total, partition) => total + partition.lag, 0),
    orders: Number(row.orders),
    events: Number(row.events),
    lastAppliedAt: row.last_applied_at,
    parkedOrders: Number(row.parked_orders),
    parkedEvents: Number(row.parked_events),
    deadLettered: await messagesIn(kafka, deadLetterTopic),
    rebuildInProgress: row.rebuilding,
  };
}

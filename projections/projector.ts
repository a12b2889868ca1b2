import { Partitioners, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { OrderEvent } from '../contracts/events';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { applyEvents, type PositionedEvent } from './apply-event';
import { deadLetterMessage } from './dead-letter';
import { ensureOrderTopics } from './ensure-topics';
import { readOrderEvent } from './event-message';

/**
 * Folds the order events topic into the PostgreSQL read model, a batch of messages per transaction. Invalid
 * messages go to the dead-letter topic; an event whose predecessor is missing stops its partition there
 * (kafkajs fetches it again after a backoff) rather than being skipped, since skipping would leave the order
 * wrong for good. Offsets are committed only after the transaction that applied their events.
 */

export interface ProjectorOptions {
  kafka: Kafka;
  pool: Pool;
  logger: Logger;
  groupId?: string;
  topic?: string;
  deadLetterTopic?: string;
}

export interface Projector {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Events applied per transaction: big enough to batch a rebuild, small enough to keep the transaction short. */
export const MAX_EVENTS_PER_TRANSACTION = 500;
/** Partitions whose batches are applied at the same time, each on its own connection. */
const PARTITIONS_IN_PARALLEL = 3;

export class SequenceGapError extends Error {
  constructor(readonly event: OrderEvent) {
    super(`order ${event.orderId}: ${event.type} #${event.sequence} arrived before an earlier event of the order`);
    this.name = 'SequenceGapError';
  }
}

async function withClient<Result>(pool: Pool, work: (client: PoolClient) => Promise<Result>): Promise<Result> {
  const client = await pool.connect();
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (error) {
    // The connection's state is unknown after a failure: destroy it rather than hand it to the next batch.
    client.release(true);
    throw error;
  }
}

function* chunksOf<Item>(items: readonly Item[], size: number): Generator<Item[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export function createProjector(options: ProjectorOptions): Projector {
  const { kafka, pool } = options;
  const topic = options.topic ?? TOPICS.orderEvents;
  const deadLetterTopic = options.deadLetterTopic ?? TOPICS.orderEventsDeadLetter;
  const groupId = options.groupId ?? CONSUMER_GROUPS.projector;
  const logger = options.logger.child({ component: 'projector', groupId });

  const consumer = kafka.consumer({ groupId });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, payload.restart ? 'projector consumer crashed, restarting' : 'projector consumer crashed and stopped');
  });

  /** Applies one chunk of a partition's messages; returns the offset up to which they are done, and the gap that stopped it, if any. */
  async function projectChunk(fromTopic: string, partition: number, messages: KafkaMessage[]): Promise<{ doneUpTo?: string; gap?: OrderEvent }> {
    const events: Array<PositionedEvent & { index: number }> = [];
    const unreadable: Array<{ message: KafkaMessage; index: number; problem: string }> = [];
    messages.forEach((message, index) => {
      const read = readOrderEvent(message.value);
      if (read.problem !== undefined) unreadable.push({ message, index, problem: read.problem });
      else events.push({ event: read.event, position: { partition, offset: message.offset }, index });
    });

    const outcomes = events.length > 0 ? await withClient(pool, (client) => applyEvents(client, events)) : [];
    const gapAt = outcomes.indexOf('gap');
    const stopIndex = gapAt === -1 ? messages.length : events[gapAt]!.index;

    const deadLetters = unreadable.filter(({ index }) => index < stopIndex);
    if (deadLetters.length > 0) {
      // Awaited, so the offsets move on only once the dead-letter topic has the messages.
      const origin = (message: KafkaMessage) => ({ topic: fromTopic, partition, offset: message.offset });
      await producer.send({ topic: deadLetterTopic, acks: -1, messages: deadLetters.map(({ message, problem }) => deadLetterMessage(message, origin(message), problem)) });
      for (const { message, problem } of deadLetters) logger.warn({ ...origin(message), reason: problem }, 'message dead-lettered');
    }
    const applied = outcomes.filter((outcome) => outcome === 'applied').length;
    logger.debug({ topic: fromTopic, partition, messages: stopIndex, applied, duplicates: outcomes.length - applied - (gapAt === -1 ? 0 : 1) }, 'batch applied');
    return { doneUpTo: stopIndex > 0 ? messages[stopIndex - 1]!.offset : undefined, gap: gapAt === -1 ? undefined : events[gapAt]!.event };
  }

  async function projectBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const chunk of chunksOf(batch.messages, MAX_EVENTS_PER_TRANSACTION)) {
      if (!isRunning() || isStale()) return;
      const { doneUpTo, gap } = await projectChunk(batch.topic, batch.partition, chunk);
      if (doneUpTo !== undefined) resolveOffset(doneUpTo);
      await commitOffsetsIfNecessary();
      if (gap) {
        logger.warn({ topic: batch.topic, partition: batch.partition, orderId: gap.orderId, sequence: gap.sequence, type: gap.type }, 'event arrived before an earlier event of its order, retrying it after a backoff');
        throw new SequenceGapError(gap);
      }
      await heartbeat();
    }
  }

  return {
    async start() {
      await ensureOrderTopics(kafka, { orderEvents: topic, deadLetter: deadLetterTopic });
      await producer.connect();
      await consumer.connect();
      // A new group reads the whole history: the read model is the fold of every event ever published.
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // Offsets are resolved by hand, chunk by chunk, each after the transaction that applied it.
      await consumer.run({ autoCommit: true, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL, eachBatch: projectBatch });
      logger.info({ topic, deadLetterTopic }, 'projector started');
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
      logger.info({ topic }, 'projector stopped');
    },
  };
}

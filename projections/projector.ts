import { Partitioners, type EachMessagePayload, type Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { OrderEvent } from '../contracts/events';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { applyEvent, type ApplyOutcome, type KafkaPosition } from './apply-event';
import { deadLetterMessage } from './dead-letter';
import { ensureOrderTopics } from './ensure-topics';
import { readOrderEvent } from './event-message';

/**
 * Folds the order events topic into the PostgreSQL read model. Invalid messages go to the dead-letter topic;
 * an event whose predecessor is missing stops its partition (kafkajs retries it after a backoff) rather than
 * being skipped, since skipping would leave the order wrong for good.
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
    // The connection's state is unknown after a failure: destroy it rather than hand it to the next message.
    client.release(true);
    throw error;
  }
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

  async function project({ topic: fromTopic, partition, message }: EachMessagePayload): Promise<void> {
    const origin = { topic: fromTopic, partition, offset: message.offset };
    const read = readOrderEvent(message.value);
    if (read.problem !== undefined) {
      // Awaited, so the offset moves on only once the dead-letter topic has the message.
      await producer.send({ topic: deadLetterTopic, acks: -1, messages: [deadLetterMessage(message, origin, read.problem)] });
      logger.warn({ ...origin, reason: read.problem }, 'message dead-lettered');
      return;
    }

    const { event } = read;
    const position: KafkaPosition = { partition, offset: message.offset };
    const outcome: ApplyOutcome = await withClient(pool, (client) => applyEvent(client, event, position));
    const about = { ...origin, orderId: event.orderId, sequence: event.sequence, type: event.type };
    if (outcome === 'applied') logger.debug(about, 'event applied');
    if (outcome === 'duplicate') logger.debug(about, 'event already applied, ignored');
    if (outcome === 'gap') {
      logger.warn(about, 'event arrived before an earlier event of its order, retrying it after a backoff');
      throw new SequenceGapError(event);
    }
  }

  return {
    async start() {
      await ensureOrderTopics(kafka, { orderEvents: topic, deadLetter: deadLetterTopic });
      await producer.connect();
      await consumer.connect();
      // A new group reads the whole history: the read model is the fold of every event ever published.
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // eachMessage with autoCommit: kafkajs commits only offsets of messages whose handler resolved, i.e. after the database commit.
      await consumer.run({ autoCommit: true, eachMessage: project });
      logger.info({ topic, deadLetterTopic }, 'projector started');
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
      logger.info({ topic }, 'projector stopped');
    },
  };
}

import { Partitioners, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { OrderEvent } from '../contracts/events';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { applyEvents } from './apply-event';
import type { ApplyOutcome, PositionedEvent } from './event-batch';
import { ensureOrderTopics } from './ensure-topics';
import { readOrderEvent } from './event-message';
import { permanentRefusal } from './parking';
import { countOutcomes, projectorMetrics, recordAppliedEvents } from './projector-metrics';
import { traceApplying } from './projector-tracing';
import { refuser } from './refused-messages';
import { withClient } from './with-client';

/**
 * Folds the order events topic into the PostgreSQL read model, a batch of messages per transaction. Invalid
 * messages go to the dead-letter topic, and so do events PostgreSQL refuses; either parks its order (see
 * parking.ts) so the partition goes on. An event whose predecessor is missing stops its partition there
 * (kafkajs fetches it again after a backoff) rather than being skipped, since skipping would leave the order
 * wrong for good. Offsets are committed only after the transaction that applied their events.
 */

/**
 * Consumer-group timing. A killed projector stops heartbeating and the broker drops it after `sessionTimeout`
 * (6 s, the broker's default minimum; kafkajs' default is 30 s), so a restarted one gets the partitions within
 * seconds. Heartbeats go out between fetches and messages: an idle fetch returns after `maxWaitTimeInMs`, well
 * inside the session, and a handler that retries for longer than a few seconds must call `heartbeat()`. A stop
 * leaves the group (consumer.disconnect), so a clean restart needs no timeout at all.
 */
export const PROJECTOR_CONSUMER_TIMING = {
  sessionTimeout: 6_000,
  heartbeatInterval: 1_000,
  rebalanceTimeout: 15_000,
  maxWaitTimeInMs: 1_000,
} as const;

export interface ProjectorOptions {
  kafka: Kafka;
  pool: Pool;
  logger: Logger;
  groupId?: string;
  topic?: string;
  /** Null: dead-letter nothing (a rebuild reads messages the live projector has dead-lettered already); still parks. */
  deadLetterTopic?: string | null;
  /** False: applied events are not announced with NOTIFY. */
  announce?: boolean;
  /** Told after each transaction the offset up to which a partition is done (the next one to read). */
  onProgress?: (partition: number, nextOffset: number) => void;
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

const count = (outcomes: ApplyOutcome[], outcome: ApplyOutcome) => outcomes.filter((candidate) => candidate === outcome).length;

function* chunksOf<Item>(items: readonly Item[], size: number): Generator<Item[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export function createProjector(options: ProjectorOptions): Projector {
  const { kafka, pool } = options;
  const topic = options.topic ?? TOPICS.orderEvents;
  const deadLetterTopic = options.deadLetterTopic === undefined ? TOPICS.orderEventsDeadLetter : options.deadLetterTopic;
  const groupId = options.groupId ?? CONSUMER_GROUPS.projector;
  const logger = options.logger.child({ component: 'projector', groupId });
  const metrics = projectorMetrics();
  const onCommitted = (applied: Parameters<typeof recordAppliedEvents>[1]) => recordAppliedEvents(metrics, applied);
  // A rebuild's copy (announce: false) applies facts already counted by the live projector: it counts nothing.
  const applyOptions = options.announce === false ? { announce: false } : { onCommitted };

  const consumer = kafka.consumer({ groupId, ...PROJECTOR_CONSUMER_TIMING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

  // After a rebalance this projector reports the lag of the partitions it now has, not of those it had.
  consumer.on(consumer.events.GROUP_JOIN, () => metrics.consumerLag.reset());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, payload.restart ? 'projector consumer crashed, restarting' : 'projector consumer crashed and stopped');
  });

  const refuse = refuser({ producer, pool, deadLetterTopic, metrics, logger });

  type Read = { message: KafkaMessage; read: ReturnType<typeof readOrderEvent> };

  /** Applies one chunk of a partition's messages; returns the offset up to which they are done, and the gap that stopped it, if any. */
  async function projectChunk(fromTopic: string, partition: number, messages: KafkaMessage[]): Promise<{ doneUpTo?: string; gap?: OrderEvent }> {
    const reads: Read[] = messages.map((message) => ({ message, read: readOrderEvent(message.value) }));
    let done = 0;
    while (done < reads.length) {
      const { message, read } = reads[done]!;
      if (read.problem !== undefined) {
        await refuse(fromTopic, partition, message, read.problem, 'if-not-applied-yet');
        done += 1;
        continue;
      }
      // The run of readable messages from here goes to the database together.
      let end = done;
      while (end < reads.length && reads[end]!.read.problem === undefined) end += 1;
      const run = reads.slice(done, end).map(({ message, read }) => ({ event: read.event!, asLogged: read.asLogged, position: { partition, offset: message.offset }, message }));
      const outcomes = await traceApplying(run, (traced) => applyRun(fromTopic, traced));
      countOutcomes(metrics, outcomes);
      const gapAt = outcomes.indexOf('gap');
      logger.debug({ topic: fromTopic, partition, messages: run.length, applied: count(outcomes, 'applied'), duplicates: count(outcomes, 'duplicate'), parked: count(outcomes, 'parked') }, 'batch applied');
      if (gapAt !== -1) return { doneUpTo: done + gapAt > 0 ? reads[done + gapAt - 1]!.message.offset : undefined, gap: run[gapAt]!.event };
      done = end;
    }
    return { doneUpTo: reads.at(-1)?.message.offset };
  }

  /**
   * Applies readable events in one transaction. If one of them is refused for good (PostgreSQL refuses its data,
   * or it cannot follow its order), they are applied one by one instead, and the refused one parks its order: it
   * and the order's later events wait, and the partition goes on.
   */
  async function applyRun(fromTopic: string, run: Array<PositionedEvent & { message: KafkaMessage }>): Promise<ApplyOutcome[]> {
    const timer = metrics.transactionSeconds.startTimer();
    try {
      const outcomes = await withClient(pool, (client) => applyEvents(client, run, applyOptions));
      timer();
      return outcomes;
    } catch (error) {
      if (permanentRefusal(error) === undefined || run.length === 0) throw error;
    }
    const outcomes: ApplyOutcome[] = [];
    for (const item of run) {
      try {
        const [outcome] = await withClient(pool, (client) => applyEvents(client, [item], applyOptions));
        outcomes.push(outcome!);
        if (outcome === 'gap') break;
      } catch (error) {
        const refusal = permanentRefusal(error);
        if (refusal === undefined) throw error;
        await refuse(fromTopic, item.position.partition, item.message, refusal, 'park');
        outcomes.push('parked');
      }
    }
    return outcomes;
  }

  async function projectBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const chunk of chunksOf(batch.messages, MAX_EVENTS_PER_TRANSACTION)) {
      if (!isRunning() || isStale()) return;
      const { doneUpTo, gap } = await projectChunk(batch.topic, batch.partition, chunk);
      if (doneUpTo !== undefined) {
        resolveOffset(doneUpTo);
        metrics.consumerLag.set({ topic: batch.topic, partition: batch.partition }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(doneUpTo) - 1n)));
        options.onProgress?.(batch.partition, Number(doneUpTo) + 1);
      }
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
      if (deadLetterTopic !== null) {
        await ensureOrderTopics(kafka, { orderEvents: topic, deadLetter: deadLetterTopic });
        await producer.connect();
      }
      await consumer.connect();
      // A new group reads the whole history: the read model is the fold of every event ever published.
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // Offsets are resolved by hand, chunk by chunk, each after the transaction that applied it.
      await consumer.run({ autoCommit: true, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL, eachBatch: projectBatch });
      logger.info({ topic, deadLetterTopic }, 'Projector started');
    },
    async stop() {
      await consumer.disconnect();
      if (deadLetterTopic !== null) await producer.disconnect();
      logger.info({ topic }, 'Projector stopped');
    },
  };
}

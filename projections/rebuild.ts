import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { createPgPool } from '../config/clients';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { deleteGroup } from './order-log';
import { createProjector, type Projector } from './projector';
import { createEmptyCopy, dropRetired, holdLiveWrites, REBUILD_SCHEMA, RETIRED_SCHEMA, swapInCopy } from './read-model-copy';

/*
 * `npm run projections -- rebuild`: a fresh read model folded from the first event of the log, swapped in
 * while the API keeps reading the current one.
 *
 * 1. An empty copy of the tables is made in its own schema (read-model-copy.ts), and a projector with a new
 *    consumer group folds the whole topic into it (its connections' search_path is that schema), announcing
 *    nothing and dead-lettering nothing again.
 * 2. Once the copy has read up to the log's end, the live tables are held against writes (`lock ... in
 *    exclusive mode`: reads go on, the live projector waits in its next transaction). The log's end is read
 *    again under that hold: the live projector can have applied nothing beyond it, so once the copy reaches
 *    it, the copy holds every event the live tables hold, and more perhaps. If it does not within a few
 *    seconds, the hold is let go and tried again later.
 * 3. The copy's projector stops, and in the same transaction the copy takes the live tables' place. The live
 *    projector's waiting transaction then runs on the copy, and it goes on from its own position: every event
 *    it had applied lies below the log's end the copy reached, so the copy has it; from its position on, an
 *    event the copy has already is skipped by the sequence rule, and one it has not is applied. Nothing is
 *    missed or applied twice.
 * 4. The replaced tables are dropped, and the copy's consumer group deleted.
 */

export interface RebuildProgress {
  /** Messages of the log the copy has gone through. */
  done: number;
  /** Messages in the log now (it grows while orders are placed). */
  total: number;
  eventsPerSecond: number;
}

export interface RebuildOptions {
  kafka: Kafka;
  databaseUrl: string;
  logger: Logger;
  topic?: string;
  onProgress?: (progress: RebuildProgress) => void;
  /** How long the live tables may be held against writes while the copy reaches the log's end. */
  holdMs?: number;
}

export interface RebuildResult {
  /** Messages the copy went through, and the whole rebuild's time. */
  messages: number;
  seconds: number;
  /** How fast the copy folded the log, up to the first time it reached the log's end. */
  eventsPerSecond: number;
  /** How long the live projector was held, in the attempt that swapped. */
  heldMs: number;
  attempts: number;
  /** Views re-pointed to the new tables. */
  views: string[];
}

type Ends = Map<number, { low: number; high: number }>;

/** The advisory lock a rebuild holds for its whole run, by name. */
const REBUILD_LOCK = 'bubble-tea read model rebuild';

async function endsOf(kafka: Kafka, topic: string): Promise<Ends> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((end) => [end.partition, { low: Number(end.low), high: Number(end.high) }]));
  } finally {
    await admin.disconnect();
  }
}

async function withClient<Result>(pool: Pool, work: (client: PoolClient) => Promise<Result>): Promise<Result> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { kafka, databaseUrl, topic = TOPICS.orderEvents, holdMs = 4_000 } = options;
  const logger = options.logger.child({ component: 'rebuild' });
  const owner = createPgPool(databaseUrl, logger);
  const copyPool = createPgPool(databaseUrl, logger, { options: `-c search_path=${REBUILD_SCHEMA}` });
  const groupId = `${CONSUMER_GROUPS.projector}.rebuild.${Date.now()}`;
  /** Per partition, the next offset the copy will read: everything before it is applied, parked or skipped. */
  const copied = new Map<number, number>();
  const copier = (): Projector =>
    createProjector({
      kafka,
      pool: copyPool,
      logger,
      groupId,
      topic,
      deadLetterTopic: null,
      announce: false,
      onProgress: (partition, next) => copied.set(partition, Math.max(copied.get(partition) ?? 0, next)),
    });
  const reached = (ends: Ends) => [...ends].every(([partition, { low, high }]) => Math.max(copied.get(partition) ?? 0, low) >= high);
  const doneOf = (ends: Ends) => [...ends].reduce((total, [partition, { low, high }]) => total + Math.min(Math.max(copied.get(partition) ?? 0, low), high) - low, 0);

  let projector: Projector | undefined;
  // One rebuild at a time: a second one would drop the first one's copy under it.
  const guard = await owner.connect();
  try {
    const { rows } = await guard.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [REBUILD_LOCK]);
    if (!rows[0]!.locked) throw new Error('another rebuild of this read model is running');
    await withClient(owner, createEmptyCopy);
    logger.info({ groupId, topic }, 'rebuild started: folding the log into a copy of the read model');
    const started = Date.now();
    projector = copier();
    await projector.start();
    let caughtUp: { at: number; messages: number } | undefined;
    let attempts = 0;
    for (;;) {
      const ends = await endsOf(kafka, topic);
      const done = doneOf(ends);
      const total = [...ends.values()].reduce((sum, { low, high }) => sum + high - low, 0);
      options.onProgress?.({ done, total, eventsPerSecond: (done * 1000) / Math.max(1, Date.now() - started) });
      if (!reached(ends)) {
        await sleep(100);
        continue;
      }
      caughtUp ??= { at: Date.now(), messages: done };
      attempts += 1;
      const swapped = await withClient(owner, async (client) => {
        const heldAt = Date.now();
        await client.query('begin');
        try {
          await holdLiveWrites(client, holdMs);
          const target = await endsOf(kafka, topic);
          while (!reached(target) && Date.now() - heldAt < holdMs) await sleep(20);
          if (!reached(target)) {
            await client.query('rollback');
            logger.info({ attempt: attempts }, 'the copy did not reach the log end while the live tables were held; trying again');
            return undefined;
          }
          await projector!.stop();
          projector = undefined;
          const { views } = await swapInCopy(client, holdMs);
          await client.query('commit');
          return { heldMs: Date.now() - heldAt, views, messages: doneOf(target) };
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          logger.warn({ err: error, attempt: attempts }, 'swap failed; the copy goes on and the swap is tried again');
          if (!projector) {
            projector = copier();
            await projector.start();
          }
          return undefined;
        }
      });
      if (!swapped) {
        await sleep(500);
        continue;
      }
      const seconds = (Date.now() - started) / 1000;
      const eventsPerSecond = (caughtUp!.messages * 1000) / Math.max(caughtUp!.at - started, 1);
      const result: RebuildResult = { ...swapped, seconds, eventsPerSecond, attempts };
      logger.info(result, 'rebuilt read model swapped in');
      // The swap is done: an old table that cannot be dropped (something still uses it) is left for an operator.
      await withClient(owner, dropRetired).catch((error: unknown) => {
        logger.warn({ err: error }, `the replaced tables are left in ${RETIRED_SCHEMA}: drop them once what uses them is moved`);
      });
      return result;
    }
  } finally {
    await projector?.stop().catch(() => undefined);
    await deleteGroup(kafka, groupId).catch(() => undefined);
    guard.release(true);
    await copyPool.end();
    await owner.end();
  }
}

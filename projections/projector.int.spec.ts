import { randomUUID } from 'node:crypto';
import { logLevel, Partitioners, type Admin, type KafkaMessage, type Message } from 'kafkajs';
import pino, { type Logger } from 'pino';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import { DEAD_LETTER_HEADERS } from './dead-letter';
import { ensureOrderTopics, type OrderTopicNames } from './ensure-topics';
import { ORDER_STATE_SELECT } from './order-queries';
import { createProjector } from './projector';
import { unparkOrder } from './unpark';
import { eventsOf, getOrder } from './order-queries';
import { countEvents } from './testing/event-counts';
import { interleave, orderHistory, orderHistoryOf, seededRandom } from './testing/order-event-fixtures';
import { createScratchDatabase, type ScratchDatabase } from './testing/scratch-database';

const config = loadConfig();
// Quiet unless asked (LOG_LEVEL): the tests provoke the errors and warnings the projector and kafkajs log.
const kafka = createKafka(config, { logLevel: process.env.LOG_LEVEL ? logLevel.WARN : logLevel.NOTHING });
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const CAUGHT_UP = { timeout: 60_000, interval: 250 };

/** One isolated projection: its own topics, consumer group and database. */
interface Run {
  topics: OrderTopicNames;
  groupId: string;
  database: ScratchDatabase;
}

const runs: Run[] = [];
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  for (const run of runs) {
    await run.database.drop();
    await admin.deleteTopics({ topics: [run.topics.orderEvents, run.topics.deadLetter] }).catch(() => undefined);
    await admin.deleteGroups([run.groupId]).catch(() => undefined);
  }
  await admin.disconnect();
});

async function newRun(label: string): Promise<Run> {
  const id = `${label}-${randomUUID()}`;
  const run: Run = {
    topics: { orderEvents: `projector-test.${id}`, deadLetter: `projector-test.${id}.dead-letter` },
    groupId: `projector-test.${id}`,
    database: await createScratchDatabase(config.database.url),
  };
  runs.push(run);
  await ensureOrderTopics(kafka, run.topics);
  return run;
}

function eventMessage(event: OrderEvent): Message {
  return { key: event.orderId, value: JSON.stringify(event) };
}

async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Messages the group has not committed yet: 0 once every message, bad ones included, was handled. */
async function lagOf(run: Run): Promise<number> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(run.topics.orderEvents),
    admin.fetchOffsets({ groupId: run.groupId, topics: [run.topics.orderEvents] }),
  ]);
  return ends.reduce((lag, end) => {
    const offset = Number(committed?.partitions.find((partition) => partition.partition === end.partition)?.offset ?? -1);
    return lag + Number(end.high) - Math.max(offset, 0);
  }, 0);
}

async function projectUntilCaughtUp(run: Run, projectorLogger: Logger = logger): Promise<void> {
  const projector = createProjector({
    kafka,
    pool: run.database.pool,
    logger: projectorLogger,
    groupId: run.groupId,
    topic: run.topics.orderEvents,
    deadLetterTopic: run.topics.deadLetter,
  });
  await projector.start();
  try {
    await expect.poll(() => lagOf(run), CAUGHT_UP).toBe(0);
  } finally {
    await projector.stop();
  }
}

/** Both tables, without the columns that depend on when and from which offset the events were applied. */
async function readModel(pool: Pool) {
  const orders = await pool.query(`select ${ORDER_STATE_SELECT} from orders order by order_id`);
  const events = await pool.query(
    'select order_id, sequence, event_id, type, schema_version, occurred_at, payload from order_events order by order_id, sequence',
  );
  return { orders: orders.rows, events: events.rows };
}

async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  const groupId = `projector-test.reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
    await expect.poll(() => received.length, CAUGHT_UP).toBeGreaterThanOrEqual(count);
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return received;
}

/** The projector's debug line per applied batch says how many events it applied and how many it had seen before. */
type BatchLog = { msg: string; applied?: number; duplicates?: number };
const totalOf = (logs: BatchLog[], field: 'applied' | 'duplicates') =>
  logs.filter((line) => line.msg === 'batch applied').reduce((total, line) => total + (line[field] ?? 0), 0);

function header(message: KafkaMessage, name: string): string | undefined {
  return message.headers?.[name]?.toString();
}

describe('projector', () => {
  const histories = [0, 1, 2, 3, 4].map((index) => orderHistory(index));
  const expectedStates = histories.map((history) => history.reduce<OrderState | undefined>(evolve, undefined));
  let modelA: Awaited<ReturnType<typeof readModel>>;

  it('folds each order history, produced once, into the read model', async () => {
    const run = await newRun('once');
    await produce(run.topics.orderEvents, histories.flat().map(eventMessage));

    await projectUntilCaughtUp(run);

    const { pool } = run.database;
    expect(await countEvents(pool)).toBe(20);
    for (const [index, history] of histories.entries()) {
      const orderId = history[0]!.orderId;
      expect(await getOrder(pool, orderId)).toEqual(expectedStates[index]);
      expect((await eventsOf(pool, orderId)).map((stored) => stored.payload)).toEqual(history);
    }
    modelA = await readModel(pool);
    expect(modelA.orders).toHaveLength(5);
  });

  it('reaches the same read model from every event twice, shuffled across orders, and dead-letters the bad messages', async () => {
    expect(modelA, 'needs the read model of the first test').toBeDefined();
    const run = await newRun('twice');
    const malformed = '{"eventId": "broken", "orderId": ';
    const firstPlaced = histories[0]![0]! as Extract<OrderEvent, { type: 'OrderPlaced' }>;
    const invalidEvent = JSON.stringify({ ...firstPlaced, data: { ...firstPlaced.data, drinks: [{ ...firstPlaced.data.drinks[0], sugar: 42 }] } });
    // The bad messages share the first order's key, so its partition must carry on past them.
    const queues: Message[][] = histories.map((history) => [...history, ...history].map(eventMessage));
    queues[0]!.splice(2, 0, { key: firstPlaced.orderId, value: malformed });
    queues[0]!.splice(5, 0, { key: firstPlaced.orderId, value: invalidEvent });
    const seed = Date.now();
    const shuffled = interleave(queues, seededRandom(seed));
    await produce(run.topics.orderEvents, shuffled);

    await projectUntilCaughtUp(run);

    expect(await readModel(run.database.pool), `shuffle seed ${seed}`).toEqual(modelA);

    const deadLetters = await readAll(run.topics.deadLetter, 2);
    expect(deadLetters).toHaveLength(2);
    const firstOrderPartition = (await eventsOf(run.database.pool, firstPlaced.orderId))[0]!.kafkaPartition;
    const byValue = new Map(deadLetters.map((message) => [message.value?.toString(), message]));
    const brokenJson = byValue.get(malformed);
    const notAnEvent = byValue.get(invalidEvent);
    expect(header(brokenJson!, DEAD_LETTER_HEADERS.reason)).toMatch(/^not valid JSON: /);
    expect(header(notAnEvent!, DEAD_LETTER_HEADERS.reason)).toMatch(/^not a valid order event: data\.drinks\.0\.sugar: /);
    for (const message of [brokenJson!, notAnEvent!]) {
      expect(message.key?.toString()).toBe(firstPlaced.orderId);
      expect(header(message, DEAD_LETTER_HEADERS.originalTopic)).toBe(run.topics.orderEvents);
      expect(header(message, DEAD_LETTER_HEADERS.originalPartition)).toBe(String(firstOrderPartition));
      expect(header(message, DEAD_LETTER_HEADERS.originalOffset)).toMatch(/^\d+$/);
    }
    expect(Number(header(brokenJson!, DEAD_LETTER_HEADERS.originalOffset))).toBeLessThan(
      Number(header(notAnEvent!, DEAD_LETTER_HEADERS.originalOffset)),
    );
  });

  it('resumes from its committed offsets after a restart instead of reading the topic again', async () => {
    const run = await newRun('restart');
    const [first, second] = [orderHistory(0), orderHistory(1)];
    await produce(run.topics.orderEvents, [...first, ...second.slice(0, 2)].map(eventMessage));
    await projectUntilCaughtUp(run);
    expect(await countEvents(run.database.pool)).toBe(6);

    await produce(run.topics.orderEvents, second.slice(2).map(eventMessage));
    const logs: BatchLog[] = [];
    await projectUntilCaughtUp(run, pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) }));

    expect(await countEvents(run.database.pool)).toBe(8);
    expect((await getOrder(run.database.pool, second[0]!.orderId))?.status).toBe('ready');
    expect(totalOf(logs, 'applied')).toBe(2);
    expect(totalOf(logs, 'duplicates')).toBe(0);
  });

  it('stops a partition at an event whose predecessor is missing, retrying it rather than skipping it', async () => {
    const run = await newRun('gap');
    const [placed, , mixed, topped] = orderHistory(0);
    await produce(run.topics.orderEvents, [placed!, mixed!, topped!].map(eventMessage));
    const logs: BatchLog[] = [];
    const projector = createProjector({
      kafka,
      pool: run.database.pool,
      logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
      groupId: run.groupId,
      topic: run.topics.orderEvents,
      deadLetterTopic: run.topics.deadLetter,
    });
    await projector.start();
    try {
      const gapWarnings = () => logs.filter((line) => line.msg.startsWith('event arrived before an earlier event')).length;
      await expect.poll(gapWarnings, CAUGHT_UP).toBeGreaterThanOrEqual(3);
      expect(totalOf(logs, 'applied')).toBe(1);
      expect((await getOrder(run.database.pool, placed!.orderId))?.lastSequence).toBe(1);
      expect(await lagOf(run)).toBe(2);
    } finally {
      await projector.stop();
    }
    expect(logs.at(-1)?.msg).toBe('Projector stopped');
  });

  it('dead-letters events PostgreSQL refuses and parks their orders, while the other orders of the partition keep flowing', async () => {
    const run = await newRun('poison');
    const [fine, nul, yearZero, taro] = [orderHistory(20), orderHistory(21), orderHistory(22), orderHistory(23)];
    const withCustomer = (event: OrderEvent, customerId: string) => ({ ...event, data: { ...event.data, customerId } }) as OrderEvent;
    const poisoned = {
      nul: [withCustomer(nul[0]!, 'a\u0000b'), ...nul.slice(1)],
      yearZero: [{ ...yearZero[0]!, occurredAt: '0000-01-01T00:00:00.000Z' }, ...yearZero.slice(1)],
      taro: taro.map((event) => (event.type === 'OrderPlaced' ? { ...event, data: { ...event.data, drinks: [{ tea: 'Black', sugar: 0, pearl: 'None', topping: 'Taro', priceCents: 525 }] } } : event)) as OrderEvent[],
    };
    // A rule the read model has today and drops later: what an operator fixes before unparking.
    await run.database.pool.query(`alter table orders add constraint no_taro_yet check (drinks::text not like '%Taro%')`);
    const onePartition = (event: OrderEvent): Message => ({ ...eventMessage(event), partition: 0 });
    await produce(run.topics.orderEvents, interleave([fine, poisoned.nul, poisoned.yearZero, poisoned.taro], seededRandom(7)).map(onePartition));

    await projectUntilCaughtUp(run);

    const { pool } = run.database;
    expect(await getOrder(pool, fine[0]!.orderId)).toEqual(fine.reduce<OrderState | undefined>(evolve, undefined));
    const { rows: parked } = await pool.query<{ order_id: string; events: string }>(
      'select order_id, count(e.*) as events from parked_orders left join parked_events e using (order_id) group by order_id order by order_id',
    );
    const poisonedIds = [nul, yearZero, taro].map((history) => history[0]!.orderId).sort();
    expect(parked).toEqual(poisonedIds.map((orderId) => ({ order_id: orderId, events: '4' })));
    for (const orderId of poisonedIds) expect(await getOrder(pool, orderId)).toBeNull();
    const deadLettered = await readAll(run.topics.deadLetter, 3);
    expect(deadLettered.map((message) => message.key?.toString()).sort()).toEqual(poisonedIds);
    expect(deadLettered.every((message) => header(message, DEAD_LETTER_HEADERS.reason))).toBe(true);

    await pool.query('alter table orders drop constraint no_taro_yet');
    expect(await unparkOrder(pool, taro[0]!.orderId)).toEqual({ applied: 4 });
    expect((await getOrder(pool, taro[0]!.orderId))?.status).toBe('ready');
    expect(await unparkOrder(pool, yearZero[0]!.orderId)).toMatchObject({ stillParked: expect.stringContaining('out of range') });
    expect((await pool.query('select 1 from parked_orders')).rowCount).toBe(2);
  });
  it('parks an order whose next event cannot follow it (mixed twice), while the other orders of the partition keep flowing', async () => {
    const run = await newRun('cannot-follow');
    const fine = orderHistory(30);
    const LABELLED = orderHistory(31)[1]!;
    const mixedTwice = orderHistoryOf(32, [LABELLED, { type: 'TeaMixed', data: {} }, { type: 'TeaMixed', data: {} }, { type: 'OrderTopped', data: {} }]);
    const after = orderHistory(33);
    const onePartition = (event: OrderEvent): Message => ({ ...eventMessage(event), partition: 0 });
    await produce(run.topics.orderEvents, [...fine, ...mixedTwice, ...after].map(onePartition));

    await projectUntilCaughtUp(run);

    const { pool } = run.database;
    for (const history of [fine, after]) expect((await getOrder(pool, history[0]!.orderId))?.status).toBe('ready');
    const orderId = mixedTwice[0]!.orderId;
    expect(await getOrder(pool, orderId)).toMatchObject({ status: 'mixed', lastSequence: 3 });
    const { rows: parked } = await pool.query<{ sequence: number }>('select (message::jsonb ->> $2)::int as sequence from parked_events where order_id = $1 order by 1', [orderId, 'sequence']);
    expect(parked.map((row) => row.sequence)).toEqual([4, 5]);
    const [deadLettered] = await readAll(run.topics.deadLetter, 1);
    expect(header(deadLettered!, DEAD_LETTER_HEADERS.reason)).toContain('TeaMixed #4 cannot follow an order that is mixed');
  });
});

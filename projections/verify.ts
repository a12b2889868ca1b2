import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { OrderEvent } from '../contracts/events';
import { CONSUMER_GROUPS, TOPICS } from '../contracts/names';
import { evolve } from '../contracts/order-decider';
import { EventCannotFollowError } from '../contracts/order-errors';
import { type OrderState } from '../contracts/order-state';
import { checkSequence } from '../contracts/event-sequence';
import { partitionLagsOf, readOrderEventsTopic } from './order-log';
import { insertOrderRows, QUERIED_COLUMN_NAMES } from './apply-event';
import { ORDER_STATE_SELECT, type OrderRow } from './order-queries';

/*
 * `npm run projections -- verify`: folds the whole log again, order by order, by the projector's own rules
 * (the first event of each sequence counts, a redelivery is ignored, nothing after a gap), and compares every
 * order of the read model with it. It first waits until the projector has applied the log up to where it was
 * read, so lag is not taken for a difference; orders that moved on since (events after that point) and parked
 * orders are counted, not compared.
 */

export interface VerifyOptions {
  kafka: Kafka;
  pool: Pool;
  topic?: string;
  groupId?: string;
  /** How long to wait for the projector to reach the end of the log as it was read. */
  catchUpTimeoutMs?: number;
}

export interface OrderDifference {
  orderId: string;
  problem: string;
}

export interface VerifyResult {
  ordersInLog: number;
  ordersCompared: number;
  /** Parked orders wait for an operator (`unpark`), so they are not compared. */
  parked: number;
  /** Orders with events applied after the point the log was read up to. */
  movedOn: number;
  differences: OrderDifference[];
}

/** Every order's fold of the log, by the projector's sequence rule. */
export function foldLog(events: readonly OrderEvent[]): Map<string, OrderState> {
  const folded = new Map<string, OrderState>();
  const stopped = new Set<string>();
  for (const event of events) {
    const current = folded.get(event.orderId);
    if (stopped.has(event.orderId)) continue;
    const check = checkSequence(current?.lastSequence, event.sequence);
    if (check === 'gap') stopped.add(event.orderId);
    if (check !== 'next') continue;
    try {
      folded.set(event.orderId, evolve(current, event));
    } catch (error) {
      // The projector parks such an order here (projections/parking.ts).
      if (!(error instanceof EventCannotFollowError)) throw error;
      stopped.add(event.orderId);
    }
  }
  return folded;
}

function differingFields(expected: OrderState, actual: OrderState): string[] {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)] as Array<keyof OrderState>);
  return [...keys].filter((key) => !isDeepStrictEqual(expected[key], actual[key]));
}

/**
 * Which of these orders' queried columns (what the reports and lists read beside the document) differ from what
 * the projector writes for their fold, by column: the expected rows are written to a scratch table and compared
 * there, so PostgreSQL compares values of the same types.
 */
async function differingColumns(client: PoolClient, states: readonly OrderState[]): Promise<Map<string, string[]>> {
  const differing = new Map<string, string[]>();
  await client.query('begin');
  try {
    await client.query('create temporary table expected_orders (like orders including defaults) on commit drop');
    for (let start = 0; start < states.length; start += 500) {
      const insert = insertOrderRows('expected_orders', states.slice(start, start + 500));
      await client.query(insert.text, insert.values);
    }
    const compared = QUERIED_COLUMN_NAMES.map((column) => `case when expected.${column} is distinct from stored.${column} then '${column}' end`);
    const { rows } = await client.query<{ order_id: string; columns: string[] }>(
      `select order_id, columns from (
         select order_id, array_remove(array[${compared.join(', ')}], null) as columns
         from expected_orders expected join orders stored using (order_id)) as compared
       where cardinality(columns) > 0`,
    );
    for (const row of rows) differing.set(row.order_id, row.columns);
  } finally {
    await client.query('rollback');
  }
  return differing;
}

async function untilCaughtUp(kafka: Kafka, topic: string, groupId: string, ends: Map<number, number>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lags = await partitionLagsOf(kafka, { topic, groupId });
    // Behind the point the log was read up to, per partition (later messages do not count).
    const behind = lags.reduce((total, { partition, end, lag }) => total + Math.max(0, (ends.get(partition) ?? 0) - (end - lag)), 0);
    if (behind === 0 || Date.now() > deadline) return behind;
    await sleep(250);
  }
}

/** Whether each of these orders' events after `after` sequence was read from the log beyond where it was read up to. */
async function appliedAfterEnds(pool: Pool, orderId: string, after: number, ends: Map<number, number>): Promise<boolean> {
  const { rows } = await pool.query<{ kafka_partition: number; kafka_offset: string }>(
    'select kafka_partition, kafka_offset from order_events where order_id = $1 and sequence > $2',
    [orderId, after],
  );
  return rows.length > 0 && rows.every((row) => Number(row.kafka_offset) >= (ends.get(row.kafka_partition) ?? 0));
}

export async function verifyReadModel(options: VerifyOptions): Promise<VerifyResult> {
  const { kafka, pool, topic = TOPICS.orderEvents, groupId = CONSUMER_GROUPS.projector, catchUpTimeoutMs = 60_000 } = options;
  const log = await readOrderEventsTopic(kafka, () => true, { topic });
  const behind = await untilCaughtUp(kafka, topic, groupId, log.ends, catchUpTimeoutMs);
  if (behind > 0) throw new Error(`the projector (group ${groupId}) is still ${behind} message(s) behind the log after ${catchUpTimeoutMs / 1000}s: start it, or wait, then verify again`);

  const folded = foldLog(log.events);
  const { rows } = await pool.query<OrderRow>(`select ${ORDER_STATE_SELECT} from orders`);
  const stored = new Map(rows.map((row) => [row.order_id, row.document]));
  const parked = new Set((await pool.query<{ order_id: string }>('select order_id from parked_orders')).rows.map((row) => row.order_id));
  const result: VerifyResult = { ordersInLog: folded.size, ordersCompared: 0, parked: 0, movedOn: 0, differences: [] };
  const differ = (orderId: string, problem: string) => result.differences.push({ orderId, problem });
  /** Orders whose document is right, whose columns are compared next. */
  const agreeing: OrderState[] = [];

  for (const orderId of new Set([...folded.keys(), ...stored.keys()])) {
    if (parked.has(orderId)) {
      result.parked += 1;
      continue;
    }
    const expected = folded.get(orderId);
    const actual = stored.get(orderId);
    if (!actual) {
      differ(orderId, `in the log (${expected!.lastSequence} events) but not in the read model`);
      continue;
    }
    if (!expected || actual.lastSequence > expected.lastSequence) {
      if (await appliedAfterEnds(pool, orderId, expected?.lastSequence ?? 0, log.ends)) result.movedOn += 1;
      else differ(orderId, expected ? `the read model applied ${actual.lastSequence} events, the log has ${expected.lastSequence}` : 'in the read model but not in the log');
      continue;
    }
    result.ordersCompared += 1;
    if (actual.lastSequence < expected.lastSequence) differ(orderId, `the read model applied ${actual.lastSequence} events, the log has ${expected.lastSequence}`);
    else {
      const fields = differingFields(expected, actual);
      if (fields.length > 0) differ(orderId, `differs from the fold of the log in ${fields.join(', ')}`);
      else agreeing.push(expected);
    }
  }
  const client = await pool.connect();
  try {
    for (const [orderId, columns] of await differingColumns(client, agreeing)) differ(orderId, `differs from the fold of the log in column ${columns.join(', ')}`);
  } finally {
    client.release();
  }
  return result;
}

import type { ClientBase } from 'pg';
import { normalOrderId } from '../contracts/ids';
import { EventCannotFollowError } from '../contracts/order-errors';
import type { KafkaPosition } from './event-batch';

/*
 * Orders the projector cannot apply for a reason retrying will not heal. Their events are kept, unapplied, so
 * one bad order never stops the others on its partition; `npm run projections -- unpark` tries them again.
 */

export interface ParkedMessage {
  orderId: string;
  position: KafkaPosition;
  /** The Kafka message's value as received. */
  message: string;
}

/**
 * Why an event is refused for good, or undefined when trying again may heal it: PostgreSQL refused its data, or
 * it cannot follow its order (the order's fold refuses it: a broken log).
 */
export function permanentRefusal(error: unknown): string | undefined {
  if (error instanceof EventCannotFollowError) return error.message;
  if (isPermanentDatabaseFailure(error)) return `PostgreSQL refused the event: ${(error as Error).message}`;
  return undefined;
}

/**
 * PostgreSQL refused the data itself (class 22: data exceptions such as an untranslatable character or a date
 * out of range; 23502/23514: a not-null or check constraint): the same statement will fail again.
 */
function isPermanentDatabaseFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code === '23502' || code === '23514');
}

/** The order id a message is keyed by, when it is one: what an unreadable message can still be parked under. */
export function orderIdOfKey(key: Buffer | null): string | undefined {
  return key === null ? undefined : normalOrderId(key.toString('utf8'));
}

/** The sequence an unreadable message says it has, if it says one. */
export function claimedSequence(value: Buffer | null): number | undefined {
  try {
    const sequence = (JSON.parse(value?.toString('utf8') ?? '') as { sequence?: unknown }).sequence;
    return typeof sequence === 'number' && Number.isInteger(sequence) ? sequence : undefined;
  } catch {
    return undefined;
  }
}

/** The last sequence applied to the order, 0 before its first. */
export async function lastAppliedSequence(client: ClientBase, orderId: string): Promise<number> {
  const { rows } = await client.query<{ last_applied_sequence: number }>('select last_applied_sequence from orders where order_id = $1', [orderId]);
  return rows[0]?.last_applied_sequence ?? 0;
}

/** Parks the order (if it is not parked yet) with the reason, keeping the message. In the caller's transaction. */
export async function parkMessage(client: ClientBase, parked: ParkedMessage, reason: string): Promise<void> {
  await client.query('insert into parked_orders (order_id, reason) values ($1, $2) on conflict (order_id) do nothing', [parked.orderId, reason]);
  await client.query(
    'insert into parked_events (order_id, kafka_partition, kafka_offset, message) values ($1, $2, $3, $4) on conflict do nothing',
    [parked.orderId, parked.position.partition, parked.position.offset, parked.message],
  );
}

/** Which of these orders are parked. */
export async function parkedAmong(client: ClientBase, orderIds: string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ order_id: string }>('select order_id from parked_orders where order_id = any($1::uuid[])', [orderIds]);
  return new Set(rows.map((row) => row.order_id));
}

export interface ParkedOrder {
  orderId: string;
  reason: string;
  parkedAt: string;
  events: number;
}

export async function listParkedOrders(client: ClientBase): Promise<ParkedOrder[]> {
  const { rows } = await client.query<{ order_id: string; reason: string; parked_at: Date; events: string }>(
    `select o.order_id, o.reason, o.parked_at, count(e.*) as events
       from parked_orders o left join parked_events e using (order_id)
      group by o.order_id order by o.parked_at`,
  );
  return rows.map((row) => ({ orderId: row.order_id, reason: row.reason, parkedAt: row.parked_at.toISOString(), events: Number(row.events) }));
}

/** Takes an order out of the parking, in the caller's transaction, and returns its messages in the order they arrived. */
export async function takeParkedMessages(client: ClientBase, orderId: string): Promise<ParkedMessage[]> {
  const { rows } = await client.query<{ kafka_partition: number; kafka_offset: string; message: string }>(
    'select kafka_partition, kafka_offset, message from parked_events where order_id = $1 order by kafka_partition, kafka_offset',
    [orderId],
  );
  await client.query('delete from parked_orders where order_id = $1', [orderId]);
  return rows.map((row) => ({ orderId, position: { partition: row.kafka_partition, offset: String(row.kafka_offset) }, message: row.message }));
}

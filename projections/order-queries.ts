import type { ClientBase, Pool } from 'pg';
import type { OrderState, OrderStatus } from '../contracts/order-state';
import { normalOrderId } from '../contracts/ids';
import { decodeCursor, encodeCursor } from './order-cursor';
import type { OrderListQuery, OrderPage } from './order-reader';

/* The SQL queries on the orders read model: under pgOrderReader, and for the reconciler, tools and tests. */

export type Queryable = Pool | ClientBase;

/** What a reader selects: the order's id, to key it by, and the order as the projection stored it (projections/apply-event.ts). */
export const ORDER_STATE_SELECT = 'order_id, document';

/** A row as `ORDER_STATE_SELECT` reads it: node-postgres parses the jsonb. */
export interface OrderRow {
  order_id: string;
  document: OrderState;
}

export interface StoredEvent {
  orderId: string;
  sequence: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  payload: unknown;
  kafkaPartition: number;
  kafkaOffset: string;
  appliedAt: string;
}

export async function getOrder(db: Queryable, orderId: string): Promise<OrderState | null> {
  const id = normalOrderId(orderId);
  if (id === undefined) return null;
  const { rows } = await db.query<OrderRow>(`select ${ORDER_STATE_SELECT} from orders where order_id = $1`, [id]);
  return rows[0]?.document ?? null;
}

/** The current status of each of the given orders that the read model has (one query, for many orders). */
export async function statusesOf(db: Queryable, orderIds: readonly string[]): Promise<Map<string, OrderStatus>> {
  const { rows } = await db.query<{ order_id: string; status: OrderStatus }>('select order_id, status from orders where order_id = any($1::uuid[])', [orderIds]);
  return new Map(rows.map((row) => [row.order_id, row.status]));
}

const CURSOR_PLACED_AT = `to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Newest first; throws UnknownCursorError for a cursor it did not issue. */
export async function listOrders(db: Queryable, query: OrderListQuery): Promise<OrderPage> {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError(`limit must be a positive integer, got ${query.limit}`);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.customerId !== undefined) conditions.push(`customer_id = ${param(query.customerId)}`);
  if (query.status !== undefined) conditions.push(`status = ${param(query.status)}`);
  // Written out rather than as a parameter, so the planner can match the partial index orders_sla_breached.
  if (query.slaBreached !== undefined) conditions.push(query.slaBreached ? 'sla_breached' : 'not sla_breached');
  if (query.after !== undefined) {
    const cursor = decodeCursor(query.after);
    conditions.push(`(placed_at, order_id) < (${param(cursor.placedAt)}::timestamptz, ${param(cursor.orderId)}::uuid)`);
  }
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  // One row more than asked says whether there is a next page.
  const { rows } = await db.query<OrderRow & { cursor_placed_at: string }>(
    `select ${ORDER_STATE_SELECT}, ${CURSOR_PLACED_AT} as cursor_placed_at
     from orders ${where}
     order by placed_at desc, order_id desc
     limit ${param(query.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    orders: page.map((row) => row.document),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ placedAt: last.cursor_placed_at, orderId: last.order_id }) : null,
  };
}

interface EventRow {
  order_id: string;
  sequence: number;
  event_id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  payload: unknown;
  kafka_partition: number;
  kafka_offset: string;
  applied_at: Date;
}

/** The order's stored events, in sequence order. */
export async function eventsOf(db: Queryable, orderId: string): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>('select * from order_events where order_id = $1 order by sequence', [orderId]);
  return rows.map((row) => ({
    orderId: row.order_id,
    sequence: row.sequence,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
    kafkaPartition: row.kafka_partition,
    kafkaOffset: row.kafka_offset,
    appliedAt: row.applied_at.toISOString(),
  }));
}

import type pg from 'pg';
import { FINAL_STATUSES, type OrderState } from '../contracts/order-state';
import { ORDER_STATE_SELECT, type OrderRow } from '../projections/order-queries';

/* What the suite reads from the read model: the run's orders, as the API's read side maps them. */

export async function orderStatesOf(pool: pg.Pool, orderIds: readonly string[], customerId: string): Promise<Map<string, OrderState>> {
  const { rows } = await pool.query<OrderRow>(`select ${ORDER_STATE_SELECT} from orders where order_id = any($1::uuid[]) or customer_id = $2`, [orderIds, customerId]);
  return new Map(rows.map((row) => [row.order_id, row.document]));
}

export interface AppliedEventRow {
  orderId: string;
  sequence: number;
  /** Rows stored for this (order, sequence): 1, or the event was applied twice. */
  rows: number;
  occurredAt: number;
  appliedAt: number;
}

export async function appliedEventsOf(pool: pg.Pool, orderIds: readonly string[]): Promise<AppliedEventRow[]> {
  const { rows } = await pool.query<{ order_id: string; sequence: number; rows: number; occurred_at: Date; applied_at: Date }>(
    `select order_id, sequence, count(*)::int as rows, min(occurred_at) as occurred_at, min(applied_at) as applied_at
       from order_events where order_id = any($1::uuid[]) group by order_id, sequence`,
    [orderIds],
  );
  return rows.map((row) => ({ orderId: row.order_id, sequence: row.sequence, rows: row.rows, occurredAt: row.occurred_at.getTime(), appliedAt: row.applied_at.getTime() }));
}

/** How many of the run's orders are in each status right now. */
export async function statusCountsOf(pool: pg.Pool, customerId: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; count: number }>('select status, count(*)::int as count from orders where customer_id = $1 group by status', [customerId]);
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

/** How many of these orders are ready or refunded in the read model. */
export async function finishedCountOf(pool: pg.Pool, orderIds: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    `select count(*)::int as count from orders where order_id = any($1::uuid[]) and status = any($2::text[])`,
    [orderIds, [...FINAL_STATUSES]],
  );
  return rows[0]!.count;
}

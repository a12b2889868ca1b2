import type { StationEstimate } from '../contracts/events';
import { CURRENCY, type Currency, type Drink } from '../contracts/menu';
import { ORDER_STATUS_NAMES, type OrderDelay, type OrderState, type OrderStatus } from '../contracts/order-state';
import { statusDisplay } from '../contracts/order-status-text';

/** How an `OrderState` is stored in the `orders` table and read back: shared by the projector and the API. */

/** The columns that hold the state, in the order `orderRowValues` lists their values; order_id first. */
export const ORDER_STATE_COLUMNS = [
  'order_id',
  'customer_id',
  'drinks',
  'status',
  'status_code',
  'status_text',
  'estimate',
  'placed_at',
  'labelled_at',
  'mixed_at',
  'ready_at',
  'sla_breached',
  'delays',
  'cancelled_at',
  'cancellation_reason',
  'failed_at',
  'failure_reason',
  'refunded_at',
  'total_cents',
  'currency',
  'payment_id',
  'paid_cents',
  'decline_reason',
  'refund_id',
  'refunded_cents',
  'last_applied_sequence',
] as const;

/** The state columns as a select list. */
export const ORDER_STATE_SELECT = ORDER_STATE_COLUMNS.join(', ');

/** A row as node-postgres returns it: jsonb parsed, timestamptz as Date. */
export interface OrderRow {
  order_id: string;
  customer_id: string;
  drinks: Drink[];
  status: string;
  status_code: number;
  status_text: string;
  estimate: StationEstimate | null;
  placed_at: Date;
  labelled_at: Date | null;
  mixed_at: Date | null;
  ready_at: Date | null;
  sla_breached: boolean;
  /** Kept as the events gave them, `at` included, so they read back exactly as folded. */
  delays: OrderDelay[];
  cancelled_at: Date | null;
  cancellation_reason: string | null;
  failed_at: Date | null;
  failure_reason: string | null;
  refunded_at: Date | null;
  total_cents: number;
  currency: string;
  payment_id: string | null;
  paid_cents: number | null;
  decline_reason: string | null;
  refund_id: string | null;
  refunded_cents: number | null;
  last_applied_sequence: number;
}

function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUS_NAMES as readonly string[]).includes(value);
}

function currencyOf(row: OrderRow): Currency {
  if (row.currency !== CURRENCY) throw new Error(`order ${row.order_id} is in an unknown currency '${row.currency}'`);
  return row.currency;
}

function isoOf(value: Date): string;
function isoOf(value: Date | null): string | null;
function isoOf(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

/**
 * Timestamps come back at millisecond precision, as `Date.toISOString()` writes them. The row is what evolve
 * folded (only the projector writes it), so its fields fit its status as the state's type says.
 */
export function orderStateOf(row: OrderRow): OrderState {
  if (!isOrderStatus(row.status)) throw new Error(`order ${row.order_id} has an unknown status '${row.status}'`);
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    drinks: row.drinks,
    status: row.status,
    estimate: row.estimate,
    placedAt: isoOf(row.placed_at),
    labelledAt: isoOf(row.labelled_at),
    mixedAt: isoOf(row.mixed_at),
    readyAt: isoOf(row.ready_at),
    slaBreached: row.sla_breached,
    delays: row.delays,
    cancelledAt: isoOf(row.cancelled_at),
    cancellationReason: row.cancellation_reason,
    failedAt: isoOf(row.failed_at),
    failureReason: row.failure_reason,
    refundedAt: isoOf(row.refunded_at),
    totalCents: row.total_cents,
    currency: currencyOf(row),
    paymentId: row.payment_id,
    paidCents: row.paid_cents,
    declineReason: row.decline_reason,
    refundId: row.refund_id,
    refundedCents: row.refunded_cents,
    lastSequence: row.last_applied_sequence,
  } as OrderState;
}

/** Query parameters for ORDER_STATE_COLUMNS; jsonb goes in as JSON text, since node-postgres would turn an array into a PostgreSQL array. */
export function orderRowValues(state: OrderState): unknown[] {
  return [
    state.orderId,
    state.customerId,
    JSON.stringify(state.drinks),
    state.status,
    // Display, kept in its columns for readers of the table; the state itself holds none.
    statusDisplay(state.status).statusCode,
    statusDisplay(state.status).statusText,
    state.estimate === null ? null : JSON.stringify(state.estimate),
    state.placedAt,
    state.labelledAt,
    state.mixedAt,
    state.readyAt,
    state.slaBreached,
    JSON.stringify(state.delays),
    state.cancelledAt,
    state.cancellationReason,
    state.failedAt,
    state.failureReason,
    state.refundedAt,
    state.totalCents,
    state.currency,
    state.paymentId,
    state.paidCents,
    state.declineReason,
    state.refundId,
    state.refundedCents,
    state.lastSequence,
  ];
}

import type { OrderState } from '../contracts/order-state';

/**
 * How an order is stored in the `orders` table and read back, shared by the projector and the readers: the
 * state `evolve` folds, whole, as the `document` reads return; beside it, copied from it, the columns that
 * queries filter, sort or report on (the list's keyset, the reporting views). A new field of the order is in
 * the document at once; it needs a column here (and a migration) only when a query must look at it.
 */
const QUERIED_COLUMNS = {
  order_id: (state) => state.orderId,
  customer_id: (state) => state.customerId,
  // jsonb goes in as JSON text, since node-postgres would turn an array into a PostgreSQL array.
  drinks: (state) => JSON.stringify(state.drinks),
  status: (state) => state.status,
  placed_at: (state) => state.placedAt,
  labelled_at: (state) => state.labelledAt,
  mixed_at: (state) => state.mixedAt,
  ready_at: (state) => state.readyAt,
  sla_breached: (state) => state.slaBreached,
  delays: (state) => JSON.stringify(state.delays),
  cancelled_at: (state) => state.cancelledAt,
  cancellation_reason: (state) => state.cancellationReason,
  failed_at: (state) => state.failedAt,
  failure_reason: (state) => state.failureReason,
  refunded_at: (state) => state.refundedAt,
  total_cents: (state) => state.totalCents,
  currency: (state) => state.currency,
  paid_cents: (state) => state.paidCents,
  decline_reason: (state) => state.declineReason,
  refunded_cents: (state) => state.refundedCents,
  last_applied_sequence: (state) => state.lastSequence,
} satisfies Record<string, (state: OrderState) => unknown>;

/** Every column the projector writes, in the order `orderRowValues` gives their values; order_id first. */
export const ORDER_COLUMNS = [...Object.keys(QUERIED_COLUMNS), 'document'] as const;

/** What a reader selects: the order's id (to key it by) and its document. */
export const ORDER_STATE_SELECT = 'order_id, document';

/** A row as `ORDER_STATE_SELECT` reads it: node-postgres parses the jsonb. */
export interface OrderRow {
  order_id: string;
  document: OrderState;
}

export function orderStateOf(row: OrderRow): OrderState {
  return row.document;
}

/** The columns beside the document, which must always agree with it. */
export const QUERIED_COLUMN_NAMES = Object.keys(QUERIED_COLUMNS).filter((column) => column !== 'order_id');

/** Query parameters for ORDER_COLUMNS. */
export function orderRowValues(state: OrderState): unknown[] {
  return [...Object.values(QUERIED_COLUMNS).map((valueOf) => valueOf(state)), JSON.stringify(state)];
}

/** `insert into <table> (ORDER_COLUMNS…) values (…), (…)` for these orders, with its parameters; `rest` is appended. */
export function insertOrderRows(table: string, states: readonly OrderState[], rest = ''): { text: string; values: unknown[] } {
  const width = ORDER_COLUMNS.length;
  const tuples = states.map((_, row) => `(${ORDER_COLUMNS.map((_, column) => `$${row * width + column + 1}`).join(', ')})`);
  return { text: `insert into ${table} (${ORDER_COLUMNS.join(', ')}) values ${tuples.join(', ')} ${rest}`, values: states.flatMap(orderRowValues) };
}

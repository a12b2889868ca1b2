import type { ClientBase } from 'pg';
import { evolve } from '../contracts/order-decider';
import type { OrderState } from '../contracts/order-state';
import { checkSequence, sequenceRuleBroken } from '../contracts/event-sequence';
import { announceOrderChanges } from './order-changes-listener';
import type { ApplyOptions, ApplyOutcome, PositionedEvent } from './event-batch';
import { parkedAmong, parkMessage } from './parking';

/**
 * The projection of order events into the read model: each event folded with the order's `evolve` and checked
 * against its sequence, the order's row and the event written in one transaction.
 */

const INSERT_EVENTS = `insert into order_events
  (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
  select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[], $8::int[], $9::bigint[])`;

/**
 * Applies events to the read model in one transaction, in the order given: each must be the next in its
 * order's sequence (a redelivered one is skipped as a duplicate), the rows it changes are locked, and every
 * folded row and applied event is written together or not at all, with one statement per table. At the
 * first gap it stops: the outcomes end with that 'gap', and nothing from it on is applied.
 * `client` must be a dedicated connection (a PoolClient), not a Pool, since the transaction spans queries.
 */
export async function applyEvents(client: ClientBase, events: readonly PositionedEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
  for (const { event } of events) {
    const broken = sequenceRuleBroken(event);
    if (broken) throw new Error(`event ${event.eventId} cannot be applied: ${broken}`);
  }
  for (let attempt = 1; ; attempt++) {
    await client.query('begin');
    try {
      const result = await applyInTransaction(client, events, options);
      if (result === undefined && attempt < MAX_ATTEMPTS) {
        // Another connection created one of the orders meanwhile: fold again from its row.
        await client.query('rollback');
        continue;
      }
      if (result === undefined) throw new Error('orders kept being created by another connection while applying their events');
      await client.query('commit');
      options.onCommitted?.(result.applied.map(({ event, state }) => ({ event, state })));
      return result.outcomes;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }
}

const MAX_ATTEMPTS = 3;

/**
 * The work of `applyEvents` inside the caller's transaction. Undefined when another connection created one of
 * the orders after its row was looked for: the caller rolls back and tries again.
 */
export async function applyEventsInTransaction(client: ClientBase, events: readonly PositionedEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome[] | undefined> {
  return (await applyInTransaction(client, events, options))?.outcomes;
}

async function applyInTransaction(client: ClientBase, events: readonly PositionedEvent[], options: ApplyOptions) {
  const { outcomes, applied, folded, created, parked } = await foldInTransaction(client, events);
  for (const { event, position, asLogged } of parked) await parkMessage(client, { orderId: keyOf(event.orderId), position, message: JSON.stringify(asLogged ?? event) }, 'parked');
  if (applied.length === 0) return { outcomes, applied };
  if (!(await upsertOrders(client, [...folded.values()], created))) return undefined;
  await insertEvents(client, applied);
  if (options.announce !== false) await announceOrderChanges(client, applied);
  return { outcomes, applied };
}

/** Order ids as PostgreSQL prints a uuid, so an id in capitals finds its row. */
const keyOf = (orderId: string) => orderId.toLowerCase();

async function foldInTransaction(client: ClientBase, events: readonly PositionedEvent[]) {
  const orderIds = [...new Set(events.map(({ event }) => keyOf(event.orderId)))].sort();
  const { rows } = await client.query<{ document: OrderState }>('select document from orders where order_id = any($1::uuid[]) order by order_id for update', [orderIds]);
  const stored = new Map(rows.map(({ document }) => [keyOf(document.orderId), document]));
  const parkedOrders = await parkedAmong(client, orderIds);
  const folded = new Map<string, OrderState>();
  const outcomes: ApplyOutcome[] = [];
  const applied: Array<PositionedEvent & { state: OrderState }> = [];
  const parked: PositionedEvent[] = [];
  for (const item of events) {
    const key = keyOf(item.event.orderId);
    if (parkedOrders.has(key)) {
      outcomes.push('parked');
      parked.push(item);
      continue;
    }
    const current = folded.get(key) ?? stored.get(key);
    const check = checkSequence(current?.lastSequence, item.event.sequence);
    outcomes.push(check === 'next' ? 'applied' : check);
    if (check === 'gap') break;
    if (check === 'duplicate') continue;
    const next = evolve(current, item.event);
    folded.set(key, next);
    applied.push({ ...item, state: next });
  }
  const created = [...folded.keys()].filter((key) => !stored.has(key));
  return { outcomes, applied, folded, created, parked };
}

/**
 * New rows are inserted, locked ones rewritten, in one statement. A row that did not exist when the rows were
 * locked may have been inserted since by another connection applying the same events: then it is left alone
 * and the answer is false, so the caller folds again from that row.
 */
async function upsertOrders(client: ClientBase, states: OrderState[], created: string[]): Promise<boolean> {
  const insert = insertOrderRows('orders', states, `on conflict (order_id) do update set ${UPSERT_SET}, updated_at = now() where not (orders.order_id = any($${states.length * ORDER_COLUMNS.length + 1}::uuid[]))`);
  const { rowCount } = await client.query(insert.text, [...insert.values, created]);
  return rowCount === states.length;
}

/** Each event as the log holds it: an older version keeps its version and shape here too. */
async function insertEvents(client: ClientBase, applied: readonly PositionedEvent[]): Promise<void> {
  const column = <Value>(pick: (item: PositionedEvent) => Value) => applied.map(pick);
  const logged = (item: PositionedEvent) => (item.asLogged ?? item.event) as { schemaVersion: number };
  await client.query(INSERT_EVENTS, [
    column(({ event }) => event.orderId),
    column(({ event }) => event.sequence),
    column(({ event }) => event.eventId),
    column(({ event }) => event.type),
    column((item) => logged(item).schemaVersion),
    column(({ event }) => event.occurredAt),
    column((item) => JSON.stringify(logged(item))),
    column(({ position }) => position.partition),
    column(({ position }) => position.offset),
  ]);
}

/**
 * How an order is stored in the `orders` table: the state `evolve` folds, whole, as the `document` readers
 * return (projections/order-queries.ts); beside it, copied from it, the columns that queries filter, sort or
 * report on (the list's keyset, the reporting views). A new field of the order is in the document at once; it
 * needs a column here (and a migration) only when a query must look at it.
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

/** Every column the projection writes, in the order `orderRowValues` gives their values; order_id first. */
export const ORDER_COLUMNS = [...Object.keys(QUERIED_COLUMNS), 'document'] as const;

/** The columns beside the document, which must always agree with it. */
export const QUERIED_COLUMN_NAMES = Object.keys(QUERIED_COLUMNS).filter((column) => column !== 'order_id');

/** Query parameters for ORDER_COLUMNS. */
function orderRowValues(state: OrderState): unknown[] {
  return [...Object.values(QUERIED_COLUMNS).map((valueOf) => valueOf(state)), JSON.stringify(state)];
}

/** `insert into <table> (ORDER_COLUMNS…) values (…), (…)` for these orders, with its parameters; `rest` is appended. */
export function insertOrderRows(table: string, states: readonly OrderState[], rest = ''): { text: string; values: unknown[] } {
  const width = ORDER_COLUMNS.length;
  const tuples = states.map((_, row) => `(${ORDER_COLUMNS.map((_, column) => `$${row * width + column + 1}`).join(', ')})`);
  return { text: `insert into ${table} (${ORDER_COLUMNS.join(', ')}) values ${tuples.join(', ')} ${rest}`, values: states.flatMap(orderRowValues) };
}

const UPSERT_SET = ORDER_COLUMNS.slice(1)
  .map((column) => `${column} = excluded.${column}`)
  .join(', ');

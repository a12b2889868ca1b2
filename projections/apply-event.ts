import type { ClientBase } from 'pg';
import type { OrderEvent } from '../contracts/events';
import { evolve, type OrderState } from '../contracts/order-state';
import { checkSequence, sequenceRuleBroken } from './event-sequence';
import { insertOrderRows, ORDER_COLUMNS, ORDER_STATE_SELECT, orderStateOf, type OrderRow } from './order-rows';
import { parkedAmong, parkMessage } from './parking';

/** The PostgreSQL NOTIFY channel on which every applied event is announced, as `{ orderId, sequence, status }`. */
export const ORDER_CHANGES_CHANNEL = 'order_changes';

/** Where the event was read from, kept with the stored event for tracing. */
export interface KafkaPosition {
  partition: number;
  offset: string;
}

export interface PositionedEvent {
  event: OrderEvent;
  position: KafkaPosition;
  /** W3C trace context of the event's apply span, passed on in its announcement (tracing only). */
  traceparent?: string;
  /** The event as the log holds it, when an older version than `event`: stored as it is, never rewritten. */
  asLogged?: unknown;
}

/**
 * 'duplicate': already applied, ignored. 'gap': an earlier event of the order is missing, nothing was written
 * for it. 'parked': its order is parked (projections/parking.ts), so it was kept there, not applied.
 */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap' | 'parked';

/** An event the read model has committed, with the order as it is after it. */
export interface AppliedEvent {
  event: OrderEvent;
  state: OrderState;
}

const UPSERT_SET = ORDER_COLUMNS.slice(1)
  .map((column) => `${column} = excluded.${column}`)
  .join(', ');
const INSERT_EVENTS = `insert into order_events
  (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
  select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[], $8::int[], $9::bigint[])`;

export interface ApplyOptions {
  /** False: no NOTIFY for the applied events (a rebuild's copy, which nobody follows live). */
  announce?: boolean;
  /** Called after the commit with what was applied (the projector's metrics count each fact there, once). */
  onCommitted?: (applied: readonly AppliedEvent[]) => void;
}

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
  if (options.announce !== false) await announce(client, applied);
  return { outcomes, applied };
}

/** One event, in a transaction of its own. */
export async function applyEvent(client: ClientBase, event: OrderEvent, position: KafkaPosition): Promise<ApplyOutcome> {
  const [outcome] = await applyEvents(client, [{ event, position }]);
  return outcome!;
}

const keyOf = (orderId: string) => orderId.toLowerCase();

async function foldInTransaction(client: ClientBase, events: readonly PositionedEvent[]) {
  const orderIds = [...new Set(events.map(({ event }) => keyOf(event.orderId)))].sort();
  const { rows } = await client.query<OrderRow>(`select ${ORDER_STATE_SELECT} from orders where order_id = any($1::uuid[]) order by order_id for update`, [orderIds]);
  const stored = new Map(rows.map((row) => [keyOf(row.order_id), orderStateOf(row)]));
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

/** Delivered to listeners only when the transaction commits, so a notified change is always readable. */
async function announce(client: ClientBase, applied: ReadonlyArray<PositionedEvent & { state: OrderState }>): Promise<void> {
  const payloads = applied.map(({ event, state, traceparent }) => JSON.stringify({ orderId: event.orderId, sequence: event.sequence, status: state.status, traceparent }));
  await client.query('select pg_notify($1, payload) from unnest($2::text[]) as payload', [ORDER_CHANGES_CHANNEL, payloads]);
}

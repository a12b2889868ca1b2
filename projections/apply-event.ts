import type { ClientBase } from 'pg';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-state';
import { checkSequence, sequenceRuleBroken } from './event-sequence';
import { ORDER_STATE_COLUMNS, ORDER_STATE_SELECT, orderRowValues, orderStateOf, type OrderRow } from './order-rows';

/** The PostgreSQL NOTIFY channel on which every applied event is announced, as `{ orderId, sequence }`. */
export const ORDER_CHANGES_CHANNEL = 'order_changes';

/** Where the event was read from, kept with the stored event for tracing. */
export interface KafkaPosition {
  partition: number;
  offset: string;
}

/** 'duplicate': already applied, ignored. 'gap': an earlier event of the order is missing, nothing was written. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap';

const placeholders = ORDER_STATE_COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
const INSERT_ORDER = `insert into orders (${ORDER_STATE_SELECT}, updated_at) values (${placeholders}, now()) on conflict (order_id) do nothing`;
const UPDATE_ORDER = `update orders set ${ORDER_STATE_COLUMNS.slice(1)
  .map((column, index) => `${column} = $${index + 2}`)
  .join(', ')}, updated_at = now() where order_id = $1`;
const INSERT_EVENT = `insert into order_events
  (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/**
 * Applies one event to the read model in one transaction: the order row is locked, the event must be the
 * next in its order's sequence, and the folded row and the event are written together or not at all.
 * `client` must be a dedicated connection (a PoolClient), not a Pool, since the transaction spans queries.
 */
export async function applyEvent(client: ClientBase, event: OrderEvent, position: KafkaPosition): Promise<ApplyOutcome> {
  const broken = sequenceRuleBroken(event);
  if (broken) throw new Error(`event ${event.eventId} cannot be applied: ${broken}`);

  await client.query('begin');
  try {
    const outcome = await applyInTransaction(client, event, position);
    await client.query(outcome === 'applied' ? 'commit' : 'rollback');
    return outcome;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

async function applyInTransaction(client: ClientBase, event: OrderEvent, position: KafkaPosition): Promise<ApplyOutcome> {
  const { rows } = await client.query<OrderRow>(`select ${ORDER_STATE_SELECT} from orders where order_id = $1 for update`, [event.orderId]);
  const current = rows[0] ? orderStateOf(rows[0]) : undefined;
  const check = checkSequence(current?.lastSequence, event.sequence);
  if (check !== 'next') return check;

  const next = evolve(current, event);
  if (current) {
    await client.query(UPDATE_ORDER, orderRowValues(next));
  } else {
    // No row to lock yet: a concurrent insert of the same OrderPlaced waits for ours, then finds it here.
    const inserted = await client.query(INSERT_ORDER, orderRowValues(next));
    if (inserted.rowCount === 0) return 'duplicate';
  }
  await client.query(INSERT_EVENT, [
    event.orderId,
    event.sequence,
    event.eventId,
    event.type,
    event.schemaVersion,
    event.occurredAt,
    JSON.stringify(event),
    position.partition,
    position.offset,
  ]);
  // Delivered to listeners only when the transaction commits, so a notified change is always readable.
  await client.query('select pg_notify($1, $2)', [ORDER_CHANGES_CHANNEL, JSON.stringify({ orderId: event.orderId, sequence: event.sequence })]);
  return 'applied';
}

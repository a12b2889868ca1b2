import type { Queryable } from '../order-queries';

/** How many events the read model has applied: of one order, or of all. */
export async function countEvents(db: Queryable, orderId?: string): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    orderId === undefined ? 'select count(*) from order_events' : 'select count(*) from order_events where order_id = $1',
    orderId === undefined ? [] : [orderId],
  );
  return Number(rows[0]?.count ?? 0);
}

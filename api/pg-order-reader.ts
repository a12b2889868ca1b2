import type pg from 'pg';
import { InvalidCursorError } from '../projections/order-cursor';
import type { OrderEvent } from '../contracts/events';
import { eventsOf, getOrder, listOrders } from '../projections/read-orders';
import { UnknownCursorError, type OrderReader } from './order-reader';

/** The PostgreSQL read model as the API's OrderReader; the pool may use the read-only role. */
export function pgOrderReader(pool: pg.Pool): OrderReader {
  return {
    getOrder: (orderId) => getOrder(pool, orderId),
    eventsOf: async (orderId) => (await eventsOf(pool, orderId)).map((stored) => stored.payload as OrderEvent),
    async listOrders(query) {
      try {
        return await listOrders(pool, query);
      } catch (error) {
        if (error instanceof InvalidCursorError && query.after !== undefined) throw new UnknownCursorError(query.after);
        throw error;
      }
    },
  };
}

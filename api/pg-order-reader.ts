import type pg from 'pg';
import { InvalidCursorError } from '../projections/order-cursor';
import { getOrder, listOrders } from '../projections/read-orders';
import { UnknownCursorError, type OrderReader } from './order-reader';

/** The PostgreSQL read model as the API's OrderReader; the pool may use the read-only role. */
export function pgOrderReader(pool: pg.Pool): OrderReader {
  return {
    getOrder: (orderId) => getOrder(pool, orderId),
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

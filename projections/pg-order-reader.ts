import type pg from 'pg';
import { storedOrderEvent } from '../contracts/upcasters';
import { eventsOf, getOrder, listOrders } from './order-queries';
import { whileReachable, type OrderReader } from './order-reader';

/** The PostgreSQL read model as an OrderReader; the pool may use the read-only role. */
export function pgOrderReader(pool: pg.Pool): OrderReader {
  return {
    getOrder: (orderId) => whileReachable(() => getOrder(pool, orderId)),
    // Stored as the log holds them: older versions are upcast here, as everywhere events are read.
    eventsOf: (orderId) => whileReachable(async () => (await eventsOf(pool, orderId)).map((stored) => storedOrderEvent(stored.payload))),
    listOrders: (query) => whileReachable(() => listOrders(pool, query)),
  };
}

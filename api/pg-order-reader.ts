import type pg from 'pg';
import { isPostgresUnavailable } from '../config/server-unavailable';
import { storedOrderEvent } from '../contracts/upcasters';
import { InvalidCursorError } from '../projections/order-cursor';
import { eventsOf, getOrder, listOrders } from '../projections/read-orders';
import { ReadModelUnavailableError, UnknownCursorError, type OrderReader } from './order-reader';

/** The PostgreSQL read model as the API's OrderReader; the pool may use the read-only role. */
export function pgOrderReader(pool: pg.Pool): OrderReader {
  return {
    getOrder: (orderId) => whileReachable(() => getOrder(pool, orderId)),
    // Stored as the log holds them: older versions are upcast here, as everywhere events are read.
    eventsOf: (orderId) => whileReachable(async () => (await eventsOf(pool, orderId)).map((stored) => storedOrderEvent(stored.payload))),
    async listOrders(query) {
      try {
        return await whileReachable(() => listOrders(pool, query));
      } catch (error) {
        if (error instanceof InvalidCursorError && query.after !== undefined) throw new UnknownCursorError(query.after);
        throw error;
      }
    },
  };
}

/** PostgreSQL down or restarting is a ReadModelUnavailableError; any other failure is passed on as it is. */
export async function whileReachable<Result>(read: () => Promise<Result>): Promise<Result> {
  try {
    return await read();
  } catch (error) {
    if (isPostgresUnavailable(error)) throw new ReadModelUnavailableError({ cause: error });
    throw error;
  }
}

import { isPostgresUnavailable } from '../config/server-unavailable';
import type { OrderEvent } from '../contracts/events';
import type { OrderState, OrderStatus } from '../contracts/order-state';

/*
 * The read model's query side as its readers (the API) see it: the one interface they depend on. The
 * PostgreSQL read model implements it (pg-order-reader.ts); tests that are not about the read side use an
 * in-memory one (api/testing/in-memory-order-reader.ts).
 */

export interface OrderListQuery {
  customerId?: string;
  status?: OrderStatus;
  /** True: only orders that ever breached an SLA; false: only the others. */
  slaBreached?: boolean;
  /** Page size, at least 1. */
  limit: number;
  /** The `nextCursor` of the previous page. */
  after?: string;
}

export interface OrderPage {
  orders: OrderState[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface OrderReader {
  getOrder(orderId: string): Promise<OrderState | null>;
  /** The order's applied events, in sequence order (empty before the projector has seen it). */
  eventsOf(orderId: string): Promise<OrderEvent[]>;
  /** Newest first; rejects with UnknownCursorError for a cursor it did not issue. */
  listOrders(query: OrderListQuery): Promise<OrderPage>;
}

/** A reader rejects with this for an `after` it did not issue; the API answers 400. */
export class UnknownCursorError extends Error {
  constructor(readonly cursor: string) {
    super('is not a cursor returned by this API');
    this.name = 'UnknownCursorError';
  }
}

/** A reader rejects with this when its store is out of reach for now; the API answers 503 with Retry-After. */
export class ReadModelUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('the read model is out of reach', options);
    this.name = 'ReadModelUnavailableError';
  }
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

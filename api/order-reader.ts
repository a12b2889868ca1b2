import type { OrderEvent } from '../contracts/events';
import type { OrderState, OrderStatus } from '../contracts/order-state';

/** The read side as the API sees it; the PostgreSQL read model implements it (see pg-order-reader.ts). */

export interface OrderListQuery {
  customerId?: string;
  status?: OrderStatus;
  /** True: only orders that ever breached an SLA; false: only the others. */
  slaBreached?: boolean;
  limit: number;
  /** The `nextCursor` of the previous page. */
  after?: string;
}

export interface OrderPage {
  orders: OrderState[];
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

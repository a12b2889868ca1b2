import type { OrderEvent } from '../../contracts/events';
import type { OrderState } from '../../contracts/order-state';
import type { OrderListQuery, OrderPage, OrderReader } from '../../projections/order-reader';

/** A read side for tests that are not about the read side: it holds the orders it is given and records queries. */
export class InMemoryOrderReader implements OrderReader {
  readonly listQueries: OrderListQuery[] = [];
  private readonly orders = new Map<string, OrderState>();

  constructor(orders: OrderState[] = []) {
    for (const order of orders) this.orders.set(order.orderId, order);
  }

  async getOrder(orderId: string): Promise<OrderState | null> {
    return this.orders.get(orderId) ?? null;
  }

  /** It holds states, not histories. */
  async eventsOf(): Promise<OrderEvent[]> {
    return [];
  }

  async listOrders(query: OrderListQuery): Promise<OrderPage> {
    this.listQueries.push(query);
    const matching = [...this.orders.values()].filter(
      (order) =>
        (query.customerId === undefined || order.customerId === query.customerId) &&
        (query.status === undefined || order.status === query.status) &&
        (query.slaBreached === undefined || order.slaBreached === query.slaBreached),
    );
    return { orders: matching.slice(0, query.limit), nextCursor: null };
  }
}

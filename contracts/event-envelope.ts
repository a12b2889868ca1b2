import { nextSequence } from './event-sequence';
import { eventIdOf } from './ids';
import { drinkPriceCents } from './menu';
import type { PlaceOrder } from './order-input';
import type { OrderEvent, OrderEventOf, OrderEventType } from './events';

/**
 * Building events, with no validation library: the workflow builds every event it publishes with these, and
 * a workflow's modules run again for each order (contracts/events.ts holds the schemas that check them).
 */

/** The version each event type is published at now. */
export const SCHEMA_VERSIONS = {
  OrderPlaced: 2,
  CupLabelled: 1,
  TeaMixed: 1,
  OrderTopped: 1,
  OrderPaid: 1,
  PaymentDeclined: 1,
  OrderDelayed: 1,
  OrderCancelled: 1,
  OrderFailed: 1,
  OrderRefunded: 2,
} as const;

/** OrderPlaced's data: the order as the customer placed it, each drink priced from today's price list. */
export function orderPlacedData(order: PlaceOrder): OrderEventOf<'OrderPlaced'>['data'] {
  return { ...order, drinks: order.drinks.map((drink) => ({ ...drink, priceCents: drinkPriceCents(drink) })) };
}

/** One event with its envelope: `eventId` derives from order id and sequence, so publishing it again is the same event. */
export function orderEventOf<Type extends OrderEventType>(
  orderId: string,
  sequence: number,
  type: Type,
  data: OrderEventOf<Type>['data'],
  occurredAt: string,
): OrderEventOf<Type> {
  return { eventId: eventIdOf(orderId, sequence), orderId, sequence, type, schemaVersion: SCHEMA_VERSIONS[type], occurredAt, data } as OrderEventOf<Type>;
}

/** An event as decided, before its envelope: its type and data (contracts/order-decider.ts decides them). */
export type OrderEventData = { [Type in OrderEventType]: { type: Type; data: OrderEventOf<Type>['data'] } }[OrderEventType];

/** The decided event in its envelope, numbered after the last event of the order so far (none: it opens the order at 1). */
export function nextOrderEvent(orderId: string, last: { lastSequence: number } | undefined, { type, data }: OrderEventData, occurredAt: string): OrderEvent {
  return orderEventOf(orderId, nextSequence(last?.lastSequence), type, data, occurredAt);
}

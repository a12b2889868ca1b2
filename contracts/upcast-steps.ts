import type { OrderEvent, OrderEventOf } from './events';
import type { OrderPlacedV1, OrderRefundedV1 } from './events.v1';
import { CURRENCY, drinkPriceCents, LAUNCH_PRICES_CENTS } from './menu';

/**
 * The upcasting steps themselves, pure and free of validation code so the workflow can fold old events too
 * (a workflow's modules run again for each order). contracts/upcasters.ts checks events around them.
 */

/**
 * OrderPlaced v1 → v2: each drink gets its price. Orders of version 1 were placed before prices were
 * recorded, at the first price list's prices, so that list (not today's) prices them.
 */
export function orderPlacedV1ToV2(event: OrderPlacedV1): OrderEventOf<'OrderPlaced'> {
  const drinks = event.data.drinks.map((drink) => ({ ...drink, priceCents: drinkPriceCents(drink, LAUNCH_PRICES_CENTS) }));
  return { ...event, schemaVersion: 2, data: { ...event.data, drinks } };
}

/** OrderRefunded v1 → v2: orders refunded by version 1 had never been charged, so nothing was refunded. */
export function orderRefundedV1ToV2(event: OrderRefundedV1): OrderEventOf<'OrderRefunded'> {
  return { ...event, schemaVersion: 2, data: { ...event.data, refundId: null, amountCents: 0, currency: CURRENCY } };
}

/** An event of any version the log may hold. */
export type LoggedOrderEvent = OrderEvent | OrderPlacedV1 | OrderRefundedV1;

/** A typed event of any version as the current one (already valid by its type, so not checked again). */
export function upcastOrderEvent(event: LoggedOrderEvent): OrderEvent {
  if (event.type === 'OrderPlaced' && event.schemaVersion === 1) return orderPlacedV1ToV2(event);
  if (event.type === 'OrderRefunded' && event.schemaVersion === 1) return orderRefundedV1ToV2(event);
  return event as OrderEvent;
}

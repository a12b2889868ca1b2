import type { OrderEvent, OrderEventOf } from './events';
import type { OrderPlacedV1 } from './events.v1';
import { drinkPriceCents, LAUNCH_PRICES_CENTS } from './menu';

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

/** An event of any version the log may hold. */
export type LoggedOrderEvent = OrderEvent | OrderPlacedV1;

/** A typed event of any version as the current one (already valid by its type, so not checked again). */
export function upcastOrderEvent(event: LoggedOrderEvent): OrderEvent {
  if (event.type === 'OrderPlaced' && event.schemaVersion === 1) return orderPlacedV1ToV2(event);
  return event as OrderEvent;
}

import { patched } from '@temporalio/workflow';

/**
 * The changes an order's workflow has had since orders began: an order started before one keeps the old way
 * when it replays (workflows/histories/before-*). Ids never change once released.
 */

/** Moved publishing to local activities, and visibility updates to when they change. */
export const PUBLISH_LOCALLY_PATCH = 'publish-events-locally';
/** Publishes OrderPlaced v2, with a price per drink; orders started before it publish v1. */
export const PRICED_ORDER_PLACED_PATCH = 'priced-order-placed';
/** Charges the order before labelling and refunds what was charged (OrderPaid, PaymentDeclined, OrderRefunded v2). */
export const CHARGE_BEFORE_LABELLING_PATCH = 'charge-before-labelling';
/** Marks how the order ended in the OrderOutcome search attribute, for operators in the Temporal UI (asked at the end). */
export const ORDER_OUTCOME_PATCH = 'order-outcome-search-attribute';

export interface OrderPatches {
  publishLocally: boolean;
  pricedOrderPlaced: boolean;
  charging: boolean;
}

/** The changes this order has, asked once when it starts, in this order. */
export function orderPatches(): OrderPatches {
  return { publishLocally: patched(PUBLISH_LOCALLY_PATCH), pricedOrderPlaced: patched(PRICED_ORDER_PLACED_PATCH), charging: patched(CHARGE_BEFORE_LABELLING_PATCH) };
}

import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PlaceOrder } from '../contracts/order-input';
import type { OrderPolicy } from '../contracts/order-policy';
import type { OrderState } from '../contracts/order-state';
import type { orderWorkflow } from './order-workflow';

/** The order workflow's public surface, importable by clients without pulling in the workflow itself. */

export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

/**
 * The workflow's signature, for clients that start it by its type name without loading workflow code (the
 * API): `client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW_TYPE, …)` type-checks its arguments as passing
 * the function (as tests do) would.
 */
export type OrderWorkflow = typeof orderWorkflow;

export type { OrderPolicy };

/** The order as the customer placed it, with its id and the shop's time limits for it. */
export interface OrderWorkflowInput extends PlaceOrder {
  orderId: string;
  policy: OrderPolicy;
}

/** What the customer ordered, without the id and the shop's policy: what OrderPlaced records, and what makes a retry the same order. */
export function placedOrderOf({ orderId: _orderId, policy: _policy, ...order }: OrderWorkflowInput): PlaceOrder {
  return order;
}

/** The one-line memo operators see beside the order in Temporal's workflow list. */
export function orderSummary(input: Pick<OrderWorkflowInput, 'customerId' | 'drinks'>): string {
  return `${input.drinks.length} drink(s) for ${input.customerId}`;
}

export interface CancelRequest {
  reason?: string;
}

/** The order's current state, folded from the events the workflow has published so far. */
export const getOrderQuery = defineQuery<OrderState | null>('getOrder');

/**
 * Cancels the order while contracts/order-decider.ts `canCancel` allows it; otherwise the validator refuses
 * it with an ApplicationFailure whose type is the refusal's code (CancelRefusal: the API answers 409).
 * Returns the order's state once the cancellation and refund are published; cancelling twice is harmless.
 */
export const cancelOrderUpdate = defineUpdate<OrderState, [CancelRequest]>('cancelOrder');

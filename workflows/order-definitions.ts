import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Drink } from '../contracts/menu';
import type { OrderState } from '../contracts/order-state';

/** The order workflow's public surface, importable by clients without pulling in the workflow itself. */

export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

/** Time limits of one order, fixed when it is placed so a replay sees the same ones. */
export interface OrderPolicy {
  /** The STATION_TIME_SCALE the stations run with, so SLAs follow real station time. */
  stationTimeScale: number;
  /** A stage's SLA is its estimate × stationTimeScale × slaFactor + slaGraceSeconds. */
  slaFactor: number;
  slaGraceSeconds: number;
  /** The whole order fails (and is refunded) if it is not ready this long after it was placed. */
  deadlineSeconds: number;
}

export interface OrderWorkflowInput {
  orderId: string;
  customerId: string;
  drinks: Drink[];
  policy: OrderPolicy;
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
 * Cancels the order if mixing has not started; the validator refuses it afterwards (the API answers 409).
 * Returns the order's state once the cancellation and refund are published; cancelling twice is harmless.
 */
export const cancelOrderUpdate = defineUpdate<OrderState, [CancelRequest]>('cancelOrder');

export const CANCEL_REFUSED_AFTER_MIXING = 'mixing has already started, the order can no longer be cancelled';

import { defineQuery } from '@temporalio/workflow';
import type { Drink } from '../contracts/menu';
import type { OrderState } from '../contracts/order-state';

/** The order workflow's public surface, importable by clients without pulling in the workflow itself. */

export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

export interface OrderWorkflowInput {
  orderId: string;
  customerId: string;
  drinks: Drink[];
}

/** The order's current state, folded from the events the workflow has published so far. */
export const getOrderQuery = defineQuery<OrderState | null>('getOrder');

import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { orderWorkflowId } from '../contracts/ids';
import { TASK_QUEUES } from '../contracts/names';
import type { PlaceOrder } from '../contracts/order-input';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { missingIngredients, OUT_OF_STOCK, shortageText, type StockLevels } from '../contracts/stock';
import type { OrderPolicy } from '../contracts/order-policy';
import { ORDER_WORKFLOW_TYPE, orderSummary, placedOrderOf, type OrderWorkflow, type OrderWorkflowInput } from '../workflows/order-definitions';
import { apiError } from './api-error';
import { orderIdForIdempotencyKey } from './idempotency-key';
import { ORDER_START, STOCK_LEVELS, TEMPORAL_CLIENT } from './tokens';
import { readOrderWorkflowStart } from './order-workflow-start-event';
import { TEMPORAL_TIMEOUT_MS, withTimeout } from './temporal-deadline';

/** How new orders are started: the time limits each gets (config.orderPolicy), and whether eagerly (ApiDeps.eagerWorkflowStart). */
export interface OrderStartSettings {
  policy: OrderPolicy;
  eagerStart: boolean;
}

/**
 * Places an order by starting its workflow, unless it needs something sold out (409, one problem per field); the workflow id is the order's identity, so a retry never doubles it.
 */
@Injectable()
export class OrderPlacement {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(ORDER_START) private readonly start: OrderStartSettings,
    @Inject(STOCK_LEVELS) private readonly stock: StockLevels,
  ) {}

  /** `over`: a retry (same Idempotency-Key) of an order whose workflow has already closed, one way or another. */
  async place(order: PlaceOrder, idempotencyKey: string | undefined): Promise<{ orderId: string; over: boolean }> {
    const missing = missingIngredients(order.drinks, this.stock.shortages());
    if (missing.length > 0) {
      const problems = missing.map(({ field, ingredient }) => ({ field, code: OUT_OF_STOCK, message: shortageText(ingredient) }));
      throw apiError(409, `Sold out for now: ${[...new Set(missing.map(({ ingredient }) => ingredient))].join(', ')}. Please choose something else`, problems);
    }
    const orderId = idempotencyKey === undefined ? randomUUID() : orderIdForIdempotencyKey(idempotencyKey);
    const input: OrderWorkflowInput = { ...order, orderId, policy: this.start.policy };
    // Bounded, so an unreachable Temporal is a 503 the client can retry rather than a hanging request.
    const over = await withTimeout(this.client, TEMPORAL_TIMEOUT_MS, () => this.startOrJoin(input, idempotencyKey));
    return { orderId, over };
  }

  /** True if the workflow already existed and has closed; a running one is joined. */
  private async startOrJoin(input: OrderWorkflowInput, idempotencyKey: string | undefined): Promise<boolean> {
    const workflowId = orderWorkflowId(input.orderId);
    try {
      await this.client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TASK_QUEUES.orders,
        args: [input],
        requestEagerStart: this.start.eagerStart,
        // A retry while the order runs joins it; one after it finished must not start the order again.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Visible from the start, so the workflow need not write them again (each write costs the server).
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.CustomerId, value: input.customerId },
          { key: SEARCH_ATTRIBUTES.DrinkCount, value: input.drinks.length },
          { key: SEARCH_ATTRIBUTES.OrderStatus, value: 'placed' },
          { key: SEARCH_ATTRIBUTES.SlaBreached, value: false },
        ],
        memo: { summary: orderSummary(input) },
      });
    } catch (error) {
      // With USE_EXISTING a running workflow is joined without error: this one has closed.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError && idempotencyKey !== undefined)) throw error;
      await this.assertSameOrder(workflowId, input);
      return true;
    }
    if (idempotencyKey !== undefined) await this.assertSameOrder(workflowId, input);
    return false;
  }

  private async assertSameOrder(workflowId: string, input: OrderWorkflowInput): Promise<void> {
    const { input: existing } = await readOrderWorkflowStart(this.client, workflowId);
    // Only what the customer ordered decides whether a retry is the same order: the policy is the shop's and may
    // change in between. Compared as JSON, the form the workflow received it in, so an absent and an undefined topping agree.
    if (!isDeepStrictEqual(placedOrderOf(existing), JSON.parse(JSON.stringify(placedOrderOf(input))))) {
      throw apiError(422, 'This Idempotency-Key was already used for a different order; use a new key for a new order');
    }
  }
}

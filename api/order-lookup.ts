import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { orderWorkflowId } from '../contracts/ids';
import { drinksPriceCents } from '../contracts/menu';
import { placedOrderState, type OrderState } from '../contracts/order-state';
import { getOrderQuery } from '../workflows/order-definitions';
import type { OrderReader } from '../projections/order-reader';
import { API_LOGGER, ORDER_READER, TEMPORAL_CLIENT } from './tokens';
import { readOrderWorkflowStart, type OrderWorkflowStart } from './order-workflow-start-event';
import { ORDER_QUERY_TIMEOUT_MS, TEMPORAL_TIMEOUT_MS, withTimeout } from './temporal-deadline';

/**
 * Finds an order in the read model and, until the projector has caught up, in its workflow: an order the
 * API accepted is never "not found".
 */
@Injectable()
export class OrderLookup {
  constructor(
    @Inject(ORDER_READER) private readonly reader: OrderReader,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  async find(orderId: string): Promise<OrderState | null> {
    return (await this.reader.getOrder(orderId)) ?? (await this.fromWorkflow(orderId));
  }

  private async fromWorkflow(orderId: string): Promise<OrderState | null> {
    const workflowId = orderWorkflowId(orderId);
    let start: OrderWorkflowStart;
    try {
      start = await withTimeout(this.client, TEMPORAL_TIMEOUT_MS, () => readOrderWorkflowStart(this.client, workflowId));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
    // Not run yet: nothing has happened to the order, and a query would wait for a worker.
    if (!start.hasRun) return placedOrder(start);
    try {
      const state = await withTimeout(this.client, ORDER_QUERY_TIMEOUT_MS, () => this.client.workflow.getHandle(workflowId).query(getOrderQuery));
      if (state) return state;
    } catch (error) {
      // No worker to answer (down, or busy): the start event still says what was ordered.
      this.logger.warn({ err: error, workflowId }, 'order query failed; answering from the workflow start');
    }
    return placedOrder(start);
  }
}

/** The state an order has before its workflow published anything: placed, at the time the workflow started. */
function placedOrder({ input, startedAt }: OrderWorkflowStart): OrderState {
  return placedOrderState({ orderId: input.orderId, customerId: input.customerId, drinks: input.drinks, placedAt: startedAt.toISOString(), totalCents: drinksPriceCents(input.drinks) }, 0);
}

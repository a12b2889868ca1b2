import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { orderWorkflowId } from '../contracts/ids';
import { cancelRefusal, type CancelRefusal } from '../contracts/order-decider';
import type { OrderState } from '../contracts/order-state';
import { cancelOrderUpdate } from '../workflows/order-definitions';
import { apiError, orderNotFound, serviceUnavailable } from './api-error';
import type { CancelOrder } from './cancel-order-request';
import { TEMPORAL_CLIENT } from './tokens';
import { TEMPORAL_TIMEOUT_MS } from './temporal-deadline';

/** Waits for the refund too (the update returns once it is published), so it is longer than a plain call. */
const CANCEL_TIMEOUT_MS = 30_000;

/** The 409's sentence for each refusal of the order's rules (contracts/order-decider.ts `cancelRefusal`). */
export const CANCEL_REFUSAL_MESSAGES: Record<Exclude<CancelRefusal, 'ALREADY_CANCELLED'>, string> = {
  MIXING_STARTED: 'mixing has already started, the order can no longer be cancelled',
  ORDER_ENDED: 'the order is already over, it can no longer be cancelled',
};

const CANCEL_REFUSALS = new Set<string>(Object.keys(CANCEL_REFUSAL_MESSAGES));

/** The code of a refusal the order's rules gave, as the workflow's update validator reports it. */
function refusalOf(error: unknown): keyof typeof CANCEL_REFUSAL_MESSAGES | undefined {
  if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)) return undefined;
  const type = error.cause.type;
  return type && CANCEL_REFUSALS.has(type) ? (type as keyof typeof CANCEL_REFUSAL_MESSAGES) : undefined;
}

/**
 * Cancels an order through its workflow's update, which decides by the order's rules whether it is still
 * possible. An order the API already knows to be past that point (mixing or over) is refused by the same
 * rule without asking the workflow; one already cancelled is asked again, which answers as the first time.
 */
@Injectable()
export class OrderCancellation {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  /** The order's state once it is cancelled and refunded. */
  async cancel(orderId: string, request: CancelOrder, known?: OrderState): Promise<OrderState> {
    const refusal = known && cancelRefusal(known);
    if (refusal && refusal !== 'ALREADY_CANCELLED') throw apiError(409, CANCEL_REFUSAL_MESSAGES[refusal]);
    const handle = this.client.workflow.getHandle(orderWorkflowId(orderId));
    try {
      return await this.client.withDeadline(Date.now() + CANCEL_TIMEOUT_MS, () => handle.executeUpdate(cancelOrderUpdate, { args: [request] }));
    } catch (error) {
      const refused = refusalOf(error);
      if (refused) throw apiError(409, CANCEL_REFUSAL_MESSAGES[refused]);
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        // No worker took the update in time (or Temporal did not answer); asking again is safe.
        throw serviceUnavailable('The cancellation was not confirmed in time; please retry shortly, cancelling twice is harmless', error);
      }
      if (error instanceof WorkflowNotFoundError) return this.alreadyClosed(orderId, handle, error);
      throw error;
    }
  }

  /**
   * The server answers "not found" both for an order that never existed and for one whose workflow has closed.
   * A closed order that was cancelled is answered as the first cancellation was (cancelling twice is harmless);
   * any other closed order can no longer be cancelled.
   */
  private async alreadyClosed(orderId: string, handle: WorkflowHandle, notRunning: WorkflowNotFoundError): Promise<OrderState> {
    const description = await this.client.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, () => handle.describe()).catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
    if (description === undefined) throw orderNotFound(orderId);
    if (description.status.name === 'RUNNING') throw notRunning;
    if (description.status.name !== 'COMPLETED') {
      throw apiError(409, `Order ${orderId} is already ${description.status.name.toLowerCase().replaceAll('_', ' ')}, it can no longer be cancelled`);
    }
    const final = (await this.client.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, () => handle.result())) as OrderState;
    if (final.cancelledAt !== null) return final;
    throw apiError(409, `Order ${orderId} is already ${final.status}, it can no longer be cancelled`);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { orderWorkflowId } from '../contracts/ids';
import { FINAL_STATUSES, type OrderState } from '../contracts/order-state';
import { CANCEL_REFUSED_AFTER_MIXING, cancelOrderUpdate } from '../workflows/order-definitions';
import { apiError, orderNotFound, serviceUnavailable } from './api-error';
import type { CancelOrder } from './cancel-order-request';
import { TEMPORAL_CLIENT } from './tokens';
import { TEMPORAL_TIMEOUT_MS } from './temporal-deadline';

/**
 * Whether a cancellation would be taken now, as far as the order's state shows. The workflow takes one until
 * mixing starts (workflows/order-workflow.ts), which is when the labels are printed: also while the payment
 * is being taken and while labelling runs late. A stopped or finished order is over; a cancelled one needs no
 * second cancellation, although asking again is harmless.
 */
export function acceptsCancellation(state: OrderState): boolean {
  const stopped = state.cancelledAt !== null || state.failedAt !== null || state.declineReason !== null;
  return state.labelledAt === null && !stopped && !FINAL_STATUSES.has(state.status);
}

/** Waits for the refund too (the update returns once it is published), so it is longer than a plain call. */
const CANCEL_TIMEOUT_MS = 30_000;

/** Cancels an order through its workflow's update, which decides whether it is still possible. */
@Injectable()
export class OrderCancellation {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  /** The order's state once it is cancelled and refunded. */
  async cancel(orderId: string, request: CancelOrder): Promise<OrderState> {
    const handle = this.client.workflow.getHandle(orderWorkflowId(orderId));
    let final: OrderState;
    try {
      final = await this.client.withDeadline(Date.now() + CANCEL_TIMEOUT_MS, () => handle.executeUpdate(cancelOrderUpdate, { args: [request] }));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause?.message === CANCEL_REFUSED_AFTER_MIXING) {
        throw apiError(409, CANCEL_REFUSED_AFTER_MIXING);
      }
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        // No worker took the update in time (or Temporal did not answer); asking again is safe.
        throw serviceUnavailable('The cancellation was not confirmed in time; please retry shortly, cancelling twice is harmless', error);
      }
      if (error instanceof WorkflowNotFoundError) return this.alreadyClosed(orderId, handle, error);
      throw error;
    }
    // The workflow takes a cancellation until mixing starts, but the order may end another way first (its
    // payment declined, a station failing): then it was not cancelled, and the answer is the one for any order that is over.
    return cancelledOrRefused(orderId, final);
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
    return cancelledOrRefused(orderId, final);
  }
}

/** A cancelled order is the answer (cancelling twice is harmless); an order that ended any other way is a 409. */
function cancelledOrRefused(orderId: string, final: OrderState): OrderState {
  if (final.cancelledAt !== null) return final;
  throw apiError(409, `Order ${orderId} is already ${endOf(final)}, it can no longer be cancelled`);
}

/** How an order that was not cancelled ended, in the word a customer would use. */
function endOf(state: OrderState): string {
  if (state.declineReason !== null) return 'declined';
  if (state.failedAt !== null) return 'failed';
  return state.status;
}

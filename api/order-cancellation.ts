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
import { cancelRefusal } from '../contracts/order-decider';
import type { CancelRefusal } from '../contracts/order-errors';
import type { OrderState } from '../contracts/order-state';
import { cancelOrderUpdate } from '../workflows/order-definitions';
import { apiError, orderNotFound, serviceUnavailable } from './api-error';
import type { CancelOrder } from './cancel-order-request';
import type { Logger } from 'pino';
import { ownOrder } from './auth/order-access';
import { actorOf, type Session } from './auth/session';
import { OrderLookup } from './order-lookup';
import { API_LOGGER, TEMPORAL_CLIENT } from './tokens';
import { CANCEL_TIMEOUT_MS, TEMPORAL_TIMEOUT_MS, withTimeout } from './temporal-deadline';

/** The 409's sentence when the order's rules refuse a cancellation because mixing has started. */
export const CANCEL_REFUSED_AFTER_MIXING = 'mixing has already started, the order can no longer be cancelled';

/** The 409 for a refusal of the order's rules (contracts/order-decider.ts `cancelRefusal`), with how the order ended when it is known. */
function refused(orderId: string, refusal: Exclude<CancelRefusal, 'ALREADY_CANCELLED'>, order?: OrderState) {
  if (refusal === 'MIXING_STARTED') return apiError(409, CANCEL_REFUSED_AFTER_MIXING);
  return apiError(409, `Order ${orderId} is already ${order ? endOf(order) : 'over'}, it can no longer be cancelled`);
}

/** The refusal the workflow's update validator gave, by its ApplicationFailure type (a CancelRefusal code). */
function refusalOf(error: unknown): Exclude<CancelRefusal, 'ALREADY_CANCELLED'> | undefined {
  if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)) return undefined;
  const type = error.cause.type;
  return type === 'MIXING_STARTED' || type === 'ORDER_ENDED' ? type : undefined;
}

/**
 * Cancels an order through its workflow's update, which decides by the order's rules whether it is still
 * possible. An order the API already knows to be past that point (mixing or over) is refused by the same rule
 * without asking the workflow; one already cancelled is asked again, and answers as the first time.
 */
@Injectable()
export class OrderCancellation {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(OrderLookup) private readonly lookup: OrderLookup,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  /** The order's state once it is cancelled and refunded; an operator's cancellation is written to the audit log. */
  async cancel(orderId: string, request: CancelOrder, session: Session): Promise<OrderState> {
    // A customer's order is looked up anyway (to be theirs): one the rules already refuse is answered without asking its workflow.
    const known = session.role === 'customer' ? ownOrder(session, orderId, await this.lookup.find(orderId)) : undefined;
    const state = await this.cancelThroughWorkflow(orderId, request, known);
    if (session.role === 'operator') {
      this.logger.info({ audit: true, actor: actorOf(session), action: 'cancel-order', orderId, reason: request.reason }, 'operator cancelled an order');
    }
    return state;
  }

  private async cancelThroughWorkflow(orderId: string, request: CancelOrder, known: OrderState | undefined): Promise<OrderState> {
    const early = known && cancelRefusal(known);
    if (early && early !== 'ALREADY_CANCELLED') throw refused(orderId, early, known);
    const handle = this.client.workflow.getHandle(orderWorkflowId(orderId));
    let final: OrderState;
    try {
      final = await withTimeout(this.client, CANCEL_TIMEOUT_MS, () => handle.executeUpdate(cancelOrderUpdate, { args: [request] }));
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) throw refused(orderId, refusal);
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
    const description = await withTimeout(this.client, TEMPORAL_TIMEOUT_MS, () => handle.describe()).catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
    if (description === undefined) throw orderNotFound(orderId);
    if (description.status.name === 'RUNNING') throw notRunning;
    if (description.status.name !== 'COMPLETED') {
      throw apiError(409, `Order ${orderId} is already ${description.status.name.toLowerCase().replaceAll('_', ' ')}, it can no longer be cancelled`);
    }
    const final = (await withTimeout(this.client, TEMPORAL_TIMEOUT_MS, () => handle.result())) as OrderState;
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

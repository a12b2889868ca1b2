import { nextOrderEvent } from './event-envelope';
import type { OrderEvent } from './events';
import type { Drink } from './order-input';
import type { Station } from './names';
import { decide, refundDue } from './order-decider';
import { FINAL_STATUSES, type OrderState, type OrderStatus } from './order-state';

/**
 * How an order whose workflow closed without finishing it (terminated by an operator, timed out, failed,
 * cancelled) is ended: the way the workflow ends a failed order, with OrderFailed and the reason, then the
 * refund and OrderRefunded. Pure: the reconciler asks for the next event, publishes it, and asks again once
 * the read model has applied it, so each closing event follows one the read model has really seen.
 */

/** What is known of the closed workflow itself. */
export interface ClosedOrderWorkflow {
  orderId: string;
  /** When the workflow closed: the time of the closing events, so a repeated publish is the same event. */
  closedAt: string;
  /** Why it closed, in words, as the failure reason the customer sees. */
  reason: string;
  /** What was ordered and when: needed only when the workflow closed before it published anything. */
  placed?: { customerId: string; drinks: Drink[]; at: string };
  /** The refund of a paid order, made before its OrderRefunded is asked for (see `refundDue`). */
  refund?: { refundId: string; amountCents: number };
}

export { refundDue } from './order-decider';

/** The station an order in this status is waiting for. */
const STAGE_OF: Partial<Record<OrderStatus, Station>> = { placed: 'label', labelled: 'mix', mixed: 'top' };

function stageOf(order: OrderState): Station | null {
  if (order.status === 'delayed') return order.delays.at(-1)?.stage ?? null;
  return STAGE_OF[order.status] ?? null;
}

/**
 * The next event that brings the order of a closed workflow to its end, or null once it is there: decided by
 * the order's rules, as the workflow's own events are. `order` is the order as far as anyone has seen it (the
 * workflow's query or the read model, whichever is further). A paid order's refund must be made first.
 */
export function nextClosingEvent(order: OrderState | null, closed: ClosedOrderWorkflow): OrderEvent | null {
  const { orderId, closedAt, reason } = closed;
  if (!order) {
    if (!closed.placed) throw new Error(`order ${orderId}: closed before it was placed, and what was ordered is not known`);
    const { customerId, drinks, at } = closed.placed;
    return nextOrderEvent(orderId, undefined, decide({ type: 'PlaceOrder', data: { customerId, drinks } }, undefined), at);
  }
  if (FINAL_STATUSES.has(order.status)) return null;
  if (order.status === 'cancelled' || order.status === 'failed') {
    if (refundDue(order) !== null && !closed.refund) throw new Error(`order ${orderId} was paid: its refund must be made before OrderRefunded is published`);
    return nextOrderEvent(orderId, order, decide({ type: 'RecordRefund', data: { refundId: closed.refund?.refundId ?? null } }, order), closedAt);
  }
  return nextOrderEvent(orderId, order, decide({ type: 'FailOrder', data: { stage: stageOf(order), reason } }, order), closedAt);
}

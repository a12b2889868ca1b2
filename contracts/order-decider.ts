import type { OrderEventData } from './event-envelope';
import { orderPlacedData } from './event-envelope';
import type { StationEstimate } from './events';
import { CURRENCY, type Drink } from './menu';
import type { Station } from './names';
import { isInProgress, type OrderState } from './order-state';

/**
 * The order's rules: given the order as its events left it, what a command makes happen (one event) or why it
 * cannot (a business error code). Pure: the workflow runs the stations and the card and asks here what to
 * record; the API and the pages ask `canCancel` before offering a cancellation.
 */

export type OrderCommand =
  | { type: 'PlaceOrder'; data: { customerId: string; drinks: readonly Drink[] } }
  | { type: 'RecordPayment'; data: { paymentId: string } }
  | { type: 'DeclinePayment'; data: { reason: string } }
  | { type: 'RecordLabels'; data: { estimate: StationEstimate } }
  | { type: 'RecordMixing' }
  | { type: 'RecordTopping' }
  | { type: 'RecordDelay'; data: { stage: Station; slaSeconds: number } }
  | { type: 'CancelOrder'; data: { reason: string } }
  | { type: 'FailOrder'; data: { stage: Station | null; reason: string } }
  /** The refund made of what was charged (`refundId` null when nothing had been). */
  | { type: 'RecordRefund'; data: { refundId: string | null } };

/** Business errors, as codes: the edges word them (the API's 409, the page's sentence). */
export const ORDER_ERRORS = {
  ORDER_NOT_PLACED: 'ORDER_NOT_PLACED',
  ORDER_ALREADY_PLACED: 'ORDER_ALREADY_PLACED',
  /** Ready, refunded or declined, or (for a cancellation) failed: nothing more can happen to it. */
  ORDER_ENDED: 'ORDER_ENDED',
  ALREADY_CANCELLED: 'ALREADY_CANCELLED',
  /** Its labels are printed: mixing begins, and the order can no longer be cancelled. */
  MIXING_STARTED: 'MIXING_STARTED',
  /** A step that cannot come now (mixed before labelled, paid twice, ...). */
  OUT_OF_STEP: 'OUT_OF_STEP',
  REFUND_NOT_MADE: 'REFUND_NOT_MADE',
  NOTHING_TO_REFUND: 'NOTHING_TO_REFUND',
} as const;
export type OrderErrorCode = keyof typeof ORDER_ERRORS;
export type CancelRefusal = Extract<OrderErrorCode, 'ALREADY_CANCELLED' | 'MIXING_STARTED' | 'ORDER_ENDED'>;

export class OrderRuleError extends Error {
  constructor(
    readonly code: OrderErrorCode,
    command: OrderCommand['type'],
    status: OrderState['status'] | 'not placed',
  ) {
    super(`${code}: ${command} refused for an order that is ${status}`);
    this.name = 'OrderRuleError';
  }
}

/** Why a cancellation asked for now is refused, or null if it is accepted: until the labels are printed, even when labelling runs late. */
export function cancelRefusal(order: OrderState): CancelRefusal | null {
  if (order.cancelledAt !== null) return 'ALREADY_CANCELLED';
  if (!isInProgress(order)) return 'ORDER_ENDED';
  return order.labelledAt === null ? null : 'MIXING_STARTED';
}

export function canCancel(order: OrderState): boolean {
  return cancelRefusal(order) === null;
}

/** What a cancelled or failed order must give back before its OrderRefunded: the payment and the amount, or null if nothing was charged. */
export function refundDue(order: OrderState | null | undefined): { paymentId: string; amountCents: number } | null {
  if (!order || (order.status !== 'cancelled' && order.status !== 'failed')) return null;
  return order.paymentId !== null && order.paidCents !== null ? { paymentId: order.paymentId, amountCents: order.paidCents } : null;
}

export function decide(command: OrderCommand, order: OrderState | undefined): OrderEventData {
  const refuse = (code: OrderErrorCode) => new OrderRuleError(code, command.type, order?.status ?? 'not placed');
  if (command.type === 'PlaceOrder') {
    if (order) throw refuse('ORDER_ALREADY_PLACED');
    return { type: 'OrderPlaced', data: orderPlacedData(command.data.customerId, command.data.drinks) };
  }
  if (!order) throw refuse('ORDER_NOT_PLACED');
  if (command.type === 'RecordRefund') {
    if (order.status !== 'cancelled' && order.status !== 'failed') throw refuse(order.status === 'refunded' ? 'ORDER_ENDED' : 'OUT_OF_STEP');
    const reason = order.cancellationReason ?? order.failureReason;
    const due = refundDue(order);
    if (due && command.data.refundId === null) throw refuse('REFUND_NOT_MADE');
    if (!due && command.data.refundId !== null) throw refuse('NOTHING_TO_REFUND');
    return { type: 'OrderRefunded', data: { reason, refundId: command.data.refundId, amountCents: due?.amountCents ?? 0, currency: CURRENCY } };
  }
  if (!isInProgress(order)) throw refuse('ORDER_ENDED');
  const step = (allowed: boolean) => {
    if (!allowed) throw refuse('OUT_OF_STEP');
  };
  switch (command.type) {
    case 'RecordPayment':
      step(order.labelledAt === null && order.paymentId === null);
      return { type: 'OrderPaid', data: { paymentId: command.data.paymentId, amountCents: order.totalCents, currency: CURRENCY } };
    case 'DeclinePayment':
      step(order.labelledAt === null && order.paymentId === null);
      return { type: 'PaymentDeclined', data: { reason: command.data.reason } };
    case 'RecordLabels':
      step(order.labelledAt === null);
      return { type: 'CupLabelled', data: { estimate: command.data.estimate } };
    case 'RecordMixing':
      step(order.labelledAt !== null && order.mixedAt === null);
      return { type: 'TeaMixed', data: {} };
    case 'RecordTopping':
      step(order.mixedAt !== null);
      return { type: 'OrderTopped', data: {} };
    case 'RecordDelay':
      return { type: 'OrderDelayed', data: command.data };
    case 'CancelOrder':
      // Accepted until the labels are printed (cancelRefusal); one accepted then is still recorded once they are, before mixing.
      if (order.mixedAt !== null) throw refuse('MIXING_STARTED');
      return { type: 'OrderCancelled', data: { reason: command.data.reason } };
    case 'FailOrder':
      return { type: 'OrderFailed', data: command.data };
    default: {
      const unknown: never = command;
      throw new Error(`unknown order command ${(unknown as OrderCommand).type}`);
    }
  }
}

import { orderPlacedData, type OrderEventData } from './event-envelope';
import type { OrderEvent, PricedDrink, StationEstimate } from './events';
import { CURRENCY, totalCents } from './menu';
import type { Station } from './names';
import { EventCannotFollowError, OrderRuleError, type CancelRefusal, type OrderErrorCode } from './order-errors';
import type { Drink, PlaceOrder } from './order-input';
import { isInProgress, placedOrderState, type OrderInProgress, type OrderState } from './order-state';

/**
 * The order's rules, pure: `decide` says what a command makes happen (one event) or why it cannot (a business
 * error code, contracts/order-errors.ts); `evolve` folds an event into the order. The workflow runs the
 * stations and the card and asks `decide` what to record; the workflow's query, the projector and the live
 * stream all fold with `evolve`, so they always agree; the API and the pages ask `canCancel`.
 */

export type OrderCommand =
  | { type: 'PlaceOrder'; data: PlaceOrder }
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
    return { type: 'OrderPlaced', data: orderPlacedData(command.data) };
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

/**
 * Folds one event into the order; the caller checks the sequence first. An event that cannot follow the state
 * it is given (the sequence rule makes that a broken log, not a business case) throws.
 */
export function evolve(state: OrderState | undefined, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { drinks, ...ordered } = event.data;
    return placedOrderState({ ...ordered, drinks: drinks.map(drinkOf), orderId: event.orderId, placedAt: event.occurredAt, totalCents: totalCents(drinks) }, event.sequence);
  }
  if (!state) throw new Error(`${event.type} #${event.sequence} for order ${event.orderId} arrived before OrderPlaced`);
  const at = event.occurredAt;
  const lastSequence = event.sequence;
  switch (event.type) {
    case 'OrderPaid':
      // Paying changes no stage: the order stays where it is, now with its payment.
      return { ...inProgress(state, event), paymentId: event.data.paymentId, paidCents: event.data.amountCents, lastSequence };
    case 'PaymentDeclined':
      return { ...notLabelled(inProgress(state, event), event), status: 'declined', declineReason: event.data.reason, paymentId: null, paidCents: null, lastSequence };
    case 'CupLabelled':
      return { ...inProgress(state, event), status: 'labelled', estimate: event.data.estimate, labelledAt: at, mixedAt: null, readyAt: null, lastSequence };
    case 'TeaMixed': {
      const order = labelled(inProgress(state, event), event);
      return { ...order, status: 'mixed', mixedAt: at, readyAt: null, lastSequence };
    }
    case 'OrderTopped': {
      const order = mixed(inProgress(state, event), event);
      return { ...order, status: 'ready', readyAt: at, lastSequence };
    }
    case 'OrderDelayed': {
      const order = inProgress(state, event);
      const delay = { stage: event.data.stage, slaSeconds: event.data.slaSeconds, at };
      return { ...order, status: 'delayed', slaBreached: true, delays: [...order.delays, delay], lastSequence };
    }
    case 'OrderCancelled':
      return { ...inProgress(state, event), status: 'cancelled', cancelledAt: at, cancellationReason: event.data.reason, lastSequence };
    case 'OrderFailed':
      return { ...inProgress(state, event), status: 'failed', failedAt: at, failureReason: event.data.reason, lastSequence };
    case 'OrderRefunded': {
      if (state.status !== 'cancelled' && state.status !== 'failed') throw cannotFollow(state, event);
      return { ...state, status: 'refunded', refundedAt: at, refundId: event.data.refundId, refundedCents: event.data.amountCents, lastSequence };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown order event ${(unknown as OrderEvent).type}`);
    }
  }
}

/** The drink without its price: the order's state does not carry prices, so orders of every version fold alike. */
function drinkOf({ priceCents: _price, ...drink }: PricedDrink): Drink {
  return drink;
}

function cannotFollow(state: OrderState, event: OrderEvent): Error {
  return new EventCannotFollowError(event.type, event.sequence, event.orderId, state.status);
}

function inProgress(state: OrderState, event: OrderEvent): OrderInProgress {
  if (!isInProgress(state)) throw cannotFollow(state, event);
  return state;
}

function notLabelled(order: OrderInProgress, event: OrderEvent) {
  if (order.labelledAt !== null) throw cannotFollow(order, event);
  return order;
}

function labelled(order: OrderInProgress, event: OrderEvent) {
  if (order.labelledAt === null || order.mixedAt !== null) throw cannotFollow(order, event);
  return order;
}

function mixed(order: OrderInProgress, event: OrderEvent) {
  if (order.mixedAt === null) throw cannotFollow(order, event);
  return order;
}

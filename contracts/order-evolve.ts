import type { OrderEvent, PricedDrink } from './events';
import { totalCents, type Drink } from './menu';
import { isInProgress, placedOrderState, type OrderInProgress, type OrderState } from './order-state';

/**
 * Folds one event into the order's state: the one fold used by the workflow for its query, by the projector
 * for the read model and by the live stream, so all of them always agree. Pure; the caller checks the
 * sequence first. An event that cannot follow the state it is given (the sequence rule makes that a broken
 * log, not a business case) throws.
 */
export function evolve(state: OrderState | undefined, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, occurredAt: placedAt, data } = event;
    return placedOrderState({ orderId, customerId: data.customerId, drinks: data.drinks.map(drinkOf), placedAt, totalCents: totalCents(data.drinks) }, event.sequence);
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
  return new Error(`${event.type} #${event.sequence} cannot follow an order that is ${state.status} (order ${event.orderId})`);
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

import type { OrderEvent, PricedDrink, StationEstimate } from './events';
import type { Drink } from './menu';
import type { Station } from './names';

/** The order's lifecycle and the text a customer sees at each step. */
export const ORDER_STATUSES = {
  placed: { code: 100, text: 'Order received, your labels are being printed' },
  labelled: { code: 200, text: 'Labels printed, your tea is being mixed' },
  mixed: { code: 300, text: 'Mixed, your cup is being sealed with its topping' },
  ready: { code: 400, text: 'Your bubble tea is ready!' },
  delayed: { code: 150, text: 'Your order is running late, bear with us!' },
  cancelled: { code: 499, text: 'Your order has been cancelled' },
  failed: { code: 430, text: 'Oops! Something went wrong, we will refund your order' },
  refunded: { code: 450, text: 'Your order could not be made and has been refunded' },
} as const;

export type OrderStatus = keyof typeof ORDER_STATUSES;
export const ORDER_STATUS_NAMES = Object.keys(ORDER_STATUSES) as OrderStatus[];

/** Statuses after which nothing more happens to the order. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['ready', 'refunded']);

export interface OrderDelay {
  stage: Station;
  slaSeconds: number;
  at: string;
}

export interface OrderState {
  orderId: string;
  customerId: string;
  drinks: Drink[];
  status: OrderStatus;
  statusCode: number;
  statusText: string;
  estimate: StationEstimate | null;
  placedAt: string;
  labelledAt: string | null;
  mixedAt: string | null;
  readyAt: string | null;
  /** True once any stage has breached its SLA, even after the order caught up. */
  slaBreached: boolean;
  delays: OrderDelay[];
  cancelledAt: string | null;
  cancellationReason: string | null;
  failedAt: string | null;
  failureReason: string | null;
  refundedAt: string | null;
  lastSequence: number;
}

function withStatus(state: OrderState, status: OrderStatus, sequence: number): OrderState {
  return { ...state, status, statusCode: ORDER_STATUSES[status].code, statusText: ORDER_STATUSES[status].text, lastSequence: sequence };
}

/** An order just placed, before any station: what OrderPlaced folds into (and what an order is before that). */
export function placedOrderState(order: Pick<OrderState, 'orderId' | 'customerId' | 'drinks' | 'placedAt'>, lastSequence: number): OrderState {
  return {
    ...order,
    status: 'placed',
    statusCode: ORDER_STATUSES.placed.code,
    statusText: ORDER_STATUSES.placed.text,
    estimate: null,
    labelledAt: null,
    mixedAt: null,
    readyAt: null,
    slaBreached: false,
    delays: [],
    cancelledAt: null,
    cancellationReason: null,
    failedAt: null,
    failureReason: null,
    refundedAt: null,
    lastSequence,
  };
}

/** The drink without its price: the order's state does not carry prices yet, so orders of every version fold alike. */
function drinkOf({ priceCents: _price, ...drink }: PricedDrink): Drink {
  return drink;
}

/**
 * Folds one event into the order's state: used by the workflow for its query and by the projector for the
 * read model, so both always agree. Pure; the caller checks the sequence first.
 */
export function evolve(state: OrderState | undefined, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    return placedOrderState({ orderId: event.orderId, customerId: event.data.customerId, drinks: event.data.drinks.map(drinkOf), placedAt: event.occurredAt }, event.sequence);
  }
  if (!state) throw new Error(`${event.type} #${event.sequence} for order ${event.orderId} arrived before OrderPlaced`);
  switch (event.type) {
    case 'CupLabelled':
      return withStatus({ ...state, estimate: event.data.estimate, labelledAt: event.occurredAt }, 'labelled', event.sequence);
    case 'TeaMixed':
      return withStatus({ ...state, mixedAt: event.occurredAt }, 'mixed', event.sequence);
    case 'OrderTopped':
      return withStatus({ ...state, readyAt: event.occurredAt }, 'ready', event.sequence);
    case 'OrderDelayed': {
      const delay = { stage: event.data.stage, slaSeconds: event.data.slaSeconds, at: event.occurredAt };
      return withStatus({ ...state, slaBreached: true, delays: [...state.delays, delay] }, 'delayed', event.sequence);
    }
    case 'OrderCancelled':
      return withStatus({ ...state, cancelledAt: event.occurredAt, cancellationReason: event.data.reason }, 'cancelled', event.sequence);
    case 'OrderFailed':
      return withStatus({ ...state, failedAt: event.occurredAt, failureReason: event.data.reason }, 'failed', event.sequence);
    case 'OrderRefunded':
      return withStatus({ ...state, refundedAt: event.occurredAt }, 'refunded', event.sequence);
  }
}

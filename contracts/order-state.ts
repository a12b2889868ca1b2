import type { OrderEvent, StationEstimate } from './events';
import type { Drink } from './menu';

/** The order's lifecycle and the text a customer sees at each step. */
export const ORDER_STATUSES = {
  placed: { code: 100, text: 'Order received, your labels are being printed' },
  labelled: { code: 200, text: 'Labels printed, your tea is being mixed' },
  mixed: { code: 300, text: 'Mixed, your cup is being sealed with its topping' },
  ready: { code: 400, text: 'Your bubble tea is ready!' },
} as const;

export type OrderStatus = keyof typeof ORDER_STATUSES;
export const ORDER_STATUS_NAMES = Object.keys(ORDER_STATUSES) as OrderStatus[];

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
  lastSequence: number;
}

function withStatus(state: OrderState, status: OrderStatus, sequence: number): OrderState {
  return { ...state, status, statusCode: ORDER_STATUSES[status].code, statusText: ORDER_STATUSES[status].text, lastSequence: sequence };
}

/**
 * Folds one event into the order's state: used by the workflow for its query and by the projector for the
 * read model, so both always agree. Pure; the caller checks the sequence first.
 */
export function evolve(state: OrderState | undefined, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    return withStatus(
      {
        orderId: event.orderId,
        customerId: event.data.customerId,
        drinks: event.data.drinks,
        status: 'placed',
        statusCode: 0,
        statusText: '',
        estimate: null,
        placedAt: event.occurredAt,
        labelledAt: null,
        mixedAt: null,
        readyAt: null,
        lastSequence: 0,
      },
      'placed',
      event.sequence,
    );
  }
  if (!state) throw new Error(`${event.type} #${event.sequence} for order ${event.orderId} arrived before OrderPlaced`);
  switch (event.type) {
    case 'CupLabelled':
      return withStatus({ ...state, estimate: event.data.estimate, labelledAt: event.occurredAt }, 'labelled', event.sequence);
    case 'TeaMixed':
      return withStatus({ ...state, mixedAt: event.occurredAt }, 'mixed', event.sequence);
    case 'OrderTopped':
      return withStatus({ ...state, readyAt: event.occurredAt }, 'ready', event.sequence);
  }
}

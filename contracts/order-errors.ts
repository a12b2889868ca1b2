import type { OrderState } from './order-state';

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
    command: string,
    status: OrderState['status'] | 'not placed',
  ) {
    super(`${code}: ${command} refused for an order that is ${status}`);
    this.name = 'OrderRuleError';
  }
}

/**
 * An event that cannot follow the order its predecessors left (mixed twice, anything after the end): not a
 * business case but a broken log, which the projector parks rather than retries.
 */
export class EventCannotFollowError extends Error {
  constructor(type: string, sequence: number, orderId: string, status: OrderState['status']) {
    super(`${type} #${sequence} cannot follow an order that is ${status} (order ${orderId})`);
    this.name = 'EventCannotFollowError';
  }
}

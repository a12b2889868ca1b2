import type { OrderState, OrderStatus } from './order-state';

/**
 * What a customer reads at each status, with its numeric code: display, not state, so changing a sentence
 * needs no replay. The API's view, the pages and the read model's status columns take it from here.
 */
export const ORDER_STATUS_TEXT: Readonly<Record<OrderStatus, { code: number; text: string }>> = {
  placed: { code: 100, text: 'Order received, your labels are being printed' },
  labelled: { code: 200, text: 'Labels printed, your tea is being mixed' },
  mixed: { code: 300, text: 'Mixed, your cup is being sealed with its topping' },
  ready: { code: 400, text: 'Your bubble tea is ready!' },
  delayed: { code: 150, text: 'Your order is running late, bear with us!' },
  cancelled: { code: 499, text: 'Your order has been cancelled' },
  failed: { code: 430, text: 'Oops! Something went wrong, we will refund your order' },
  refunded: { code: 450, text: 'Your order could not be made and has been refunded' },
  declined: { code: 402, text: 'Your payment was declined, nothing was charged and nothing will be made' },
};

export interface StatusDisplay {
  statusCode: number;
  statusText: string;
}

export function statusDisplay(status: OrderStatus): StatusDisplay {
  const { code, text } = ORDER_STATUS_TEXT[status];
  return { statusCode: code, statusText: text };
}

/** The order with its status in words, as the API answers it and the read model stores it. */
export function withStatusDisplay<State extends OrderState>(order: State): State & StatusDisplay {
  return { ...order, ...statusDisplay(order.status) };
}

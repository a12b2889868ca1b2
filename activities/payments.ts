import { Context } from '@temporalio/activity';

export interface Refund {
  orderId: string;
  reason: string;
}

/**
 * Refunds an order. The shop takes no real payments, so the refund is recorded in the log; a real one
 * would be keyed by order id, since the reconciler may ask again for an order it already refunded.
 */
export function refundOrder(refund: Refund, log: { info(message: string, meta: object): void }): void {
  log.info('Refunding order', { orderId: refund.orderId, reason: refund.reason });
}

/**
 * The compensation of an order that was cancelled or failed, run by its workflow, which publishes
 * OrderRefunded once it returns.
 */
export function createPaymentActivities() {
  return {
    async refundOrder(input: Refund): Promise<void> {
      refundOrder(input, Context.current().log);
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

import { Context } from '@temporalio/activity';

/**
 * The compensation of an order that was cancelled or failed. The shop takes no real payments, so the
 * refund is recorded in the log; the workflow publishes OrderRefunded once it returns.
 */
export function createPaymentActivities() {
  return {
    async refundOrder(input: { orderId: string; reason: string }): Promise<void> {
      Context.current().log.info('Refunding order', { orderId: input.orderId, reason: input.reason });
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

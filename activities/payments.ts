import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Currency } from '../contracts/menu';
import { chargeKeyOf, PAYMENT_DECLINED, refundKeyOf, type PaymentProvider } from './payment-provider';

export interface Refund {
  orderId: string;
  reason: string;
}


/**
 * Refunds an order that was never charged (orders started before payments): nothing to return, so the
 * refund is recorded in the log only.
 */
export function refundOrder(refund: Refund, log: { info(message: string, meta: object): void }): void {
  log.info('Refunding order', { orderId: refund.orderId, reason: refund.reason });
}

export interface ChargeOrder {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: Currency;
}

export interface RefundPayment {
  orderId: string;
  paymentId: string;
  amountCents: number;
  currency: Currency;
}

/**
 * The order's payment, run by its workflow: the charge before any station, and the refund of exactly what was
 * charged when the order is cancelled or fails. Each is keyed by the order id, so a retried attempt (the first
 * one's answer lost) charges or refunds once.
 */
export function createPaymentActivities(provider: PaymentProvider) {
  return {
    async chargeOrder(input: ChargeOrder): Promise<{ paymentId: string }> {
      const result = await provider.charge({ ...input, idempotencyKey: chargeKeyOf(input.orderId) });
      if (result.outcome === 'declined') throw ApplicationFailure.nonRetryable(result.reason, PAYMENT_DECLINED);
      return { paymentId: result.paymentId };
    },
    async refundPayment(input: RefundPayment): Promise<{ refundId: string }> {
      return provider.refund({ paymentId: input.paymentId, amountCents: input.amountCents, currency: input.currency, idempotencyKey: refundKeyOf(input.orderId) });
    },
    /** Orders started before payments still call this on their way out. */
    async refundOrder(input: Refund): Promise<void> {
      refundOrder(input, Context.current().log);
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

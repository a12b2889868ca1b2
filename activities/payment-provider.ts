import type { Currency } from '../contracts/menu';

/**
 * What the shop needs of a card payment provider. Every call carries an idempotency key: the same key asks for
 * the same charge or refund again and gets the first one's answer, so a retried activity never charges twice.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}

export interface ChargeRequest {
  idempotencyKey: string;
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: Currency;
}

export type ChargeResult = { outcome: 'charged'; paymentId: string } | { outcome: 'declined'; reason: string };

export interface RefundRequest {
  idempotencyKey: string;
  paymentId: string;
  amountCents: number;
  currency: Currency;
}

/** The keys of an order's one charge and one refund. */
export const chargeKeyOf = (orderId: string) => `charge:${orderId}`;
export const refundKeyOf = (orderId: string) => `refund:${orderId}`;

/** The error type of a declined payment's activity failure: not retried, the order ends without being made. */
export const PAYMENT_DECLINED = 'PaymentDeclined';

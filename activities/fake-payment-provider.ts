import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChargeRequest, ChargeResult, PaymentProvider, RefundRequest } from './payment-provider';

/** When the fake provider declines a charge, and how long it takes to answer. */
export interface FakePaymentRules {
  /** Customers whose every charge is declined. */
  declineCustomers: readonly string[];
  /** Charges above this many cents are declined; null for no limit. */
  declineAboveCents: number | null;
  latencyMs: number;
}

export const ACCEPT_ALL: FakePaymentRules = { declineCustomers: [], declineAboveCents: null, latencyMs: 0 };

interface Charge extends ChargeRequest {
  paymentId: string;
  refunded: number;
}

/**
 * A card provider in process, for demos and tests: it keeps its charges and refunds in memory, by idempotency
 * key, and answers as a real one would (a repeated key gets the first answer; a refund above what is left of
 * a charge is refused). Its memory is the process's: a real provider keeps keys across restarts.
 */
export class FakePaymentProvider implements PaymentProvider {
  readonly charges: Charge[] = [];
  readonly refunds: Array<RefundRequest & { refundId: string }> = [];
  private readonly answers = new Map<string, ChargeResult | { refundId: string }>();

  constructor(public rules: FakePaymentRules = ACCEPT_ALL) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    await sleep(this.rules.latencyMs);
    const earlier = this.answers.get(request.idempotencyKey);
    if (earlier) return earlier as ChargeResult;
    const answer = this.decide(request);
    if (answer.outcome === 'charged') this.charges.push({ ...request, paymentId: answer.paymentId, refunded: 0 });
    this.answers.set(request.idempotencyKey, answer);
    return answer;
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    await sleep(this.rules.latencyMs);
    const earlier = this.answers.get(request.idempotencyKey);
    if (earlier) return earlier as { refundId: string };
    const charge = this.charges.find((candidate) => candidate.paymentId === request.paymentId);
    // A charge made by another process's fake is unknown here; a real provider knows every payment.
    if (charge && charge.refunded + request.amountCents > charge.amountCents) throw new Error(`refund of ${request.amountCents} exceeds what is left of payment ${request.paymentId}`);
    if (charge) charge.refunded += request.amountCents;
    const answer = { refundId: `re_${randomUUID()}` };
    this.refunds.push({ ...request, ...answer });
    this.answers.set(request.idempotencyKey, answer);
    return answer;
  }

  private decide(request: ChargeRequest): ChargeResult {
    if (this.rules.declineCustomers.includes(request.customerId)) return { outcome: 'declined', reason: 'the card was declined' };
    if (this.rules.declineAboveCents !== null && request.amountCents > this.rules.declineAboveCents) return { outcome: 'declined', reason: 'the amount is over the card\'s limit' };
    return { outcome: 'charged', paymentId: `pay_${randomUUID()}` };
  }
}

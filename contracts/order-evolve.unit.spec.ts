import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSIONS, type OrderEvent } from './events';
import { eventIdOf } from './ids';
import { evolve } from './order-decider';
import { FINAL_STATUSES, type OrderState } from './order-state';

const orderId = '6b7f1c1e-2a41-4f4e-9d43-2f1f0b6a9c10';
const drinks = [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }] as const;
const at = (second: number) => `2026-11-23T10:00:${String(second).padStart(2, '0')}.000Z`;

function envelope<Type extends OrderEvent['type']>(type: Type, sequence: number, data: Extract<OrderEvent, { type: Type }>['data']): OrderEvent {
  return { eventId: eventIdOf(orderId, sequence), orderId, sequence, type, schemaVersion: SCHEMA_VERSIONS[type], occurredAt: at(sequence), data } as OrderEvent;
}

const placed = envelope('OrderPlaced', 1, { customerId: 'alice', drinks: drinks.map((drink) => ({ ...drink, priceCents: 625 })) });
const labelled = envelope('CupLabelled', 2, { estimate: { labelSeconds: 2, mixingSeconds: 9, toppingSeconds: 2 } });
const mixed = envelope('TeaMixed', 3, {});
const topped = envelope('OrderTopped', 4, {});

const fold = (events: OrderEvent[]) => events.reduce<OrderState | undefined>(evolve, undefined);

describe('evolve (the order fold shared by the workflow, the projector and the live stream)', () => {
  it('given nothing, when the order is placed, then it is placed with the customer and drinks', () => {
    expect(fold([placed])).toEqual({
      orderId,
      customerId: 'alice',
      drinks,
      status: 'placed',
      estimate: null,
      placedAt: at(1),
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
      totalCents: 625,
      currency: 'USD',
      paymentId: null,
      paidCents: null,
      declineReason: null,
      refundId: null,
      refundedCents: null,
      lastSequence: 1,
    });
  });

  it('given nothing, when an order with a note is placed, then the order keeps the note (every field the customer gave)', () => {
    const withNote = envelope('OrderPlaced', 1, { ...(placed.data as Extract<OrderEvent, { type: 'OrderPlaced' }>['data']), note: 'Less ice, please' });
    expect(fold([withNote])).toMatchObject({ customerId: 'alice', drinks, note: 'Less ice, please', status: 'placed' });
    expect(fold([placed])).not.toHaveProperty('note');
  });

  it('given a placed order, when it is paid, then it keeps its stage and records the payment', () => {
    const paid = envelope('OrderPaid', 2, { paymentId: 'pay_1', amountCents: 1075, currency: 'USD' });
    expect(fold([placed, paid])).toMatchObject({ status: 'placed', paymentId: 'pay_1', paidCents: 1075, lastSequence: 2 });
  });

  it('given a placed order, when its payment is declined, then it is declined for good with the reason', () => {
    const declined = envelope('PaymentDeclined', 2, { reason: 'the card was declined' });
    const state = fold([placed, declined])!;
    expect(state).toMatchObject({ status: 'declined', declineReason: 'the card was declined', paymentId: null, labelledAt: null });
    expect(FINAL_STATUSES.has(state.status)).toBe(true);
  });

  it('given a paid order that was cancelled, when refunded, then the refund id and amount are recorded', () => {
    const paid = envelope('OrderPaid', 2, { paymentId: 'pay_1', amountCents: 1075, currency: 'USD' });
    const cancelled = envelope('OrderCancelled', 3, { reason: 'changed my mind' });
    const refunded = envelope('OrderRefunded', 4, { reason: 'changed my mind', refundId: 're_1', amountCents: 1075, currency: 'USD' });
    expect(fold([placed, paid, cancelled, refunded])).toMatchObject({ status: 'refunded', paidCents: 1075, refundId: 're_1', refundedCents: 1075 });
  });

  it('given a placed order, when it is labelled, then it carries the estimate and the label time', () => {
    expect(fold([placed, labelled])).toMatchObject({
      status: 'labelled',
      estimate: { labelSeconds: 2, mixingSeconds: 9, toppingSeconds: 2 },
      labelledAt: at(2),
      lastSequence: 2,
    });
  });

  it('given every step, then the order is ready with every stage timestamp', () => {
    expect(fold([placed, labelled, mixed, topped])).toMatchObject({
      status: 'ready',
      placedAt: at(1),
      labelledAt: at(2),
      mixedAt: at(3),
      readyAt: at(4),
      lastSequence: 4,
    });
  });

  it('refuses a step of an order it has never seen placed', () => {
    expect(() => evolve(undefined, mixed)).toThrow('TeaMixed #3 for order');
  });

  it('given a delay at the mixer, then the order is delayed and stays flagged once mixed', () => {
    const delayed = envelope('OrderDelayed', 3, { stage: 'mix', slaSeconds: 14 });
    expect(fold([placed, labelled, delayed])).toMatchObject({ status: 'delayed', slaBreached: true, delays: [{ stage: 'mix', slaSeconds: 14, at: at(3) }] });
    const mixedLate = { ...mixed, sequence: 4, eventId: eventIdOf(orderId, 4) };
    expect(fold([placed, labelled, delayed, mixedLate])).toMatchObject({ status: 'mixed', slaBreached: true, delays: [{ stage: 'mix' }] });
  });

  it('given a cancellation, then the order is cancelled and, once refunded, refunded with its reason kept', () => {
    const cancelled = envelope('OrderCancelled', 2, { reason: 'changed my mind' });
    const refunded = envelope('OrderRefunded', 3, { reason: 'changed my mind', refundId: null, amountCents: 0, currency: 'USD' });
    expect(fold([placed, cancelled])).toMatchObject({ status: 'cancelled', cancelledAt: at(2), cancellationReason: 'changed my mind' });
    expect(fold([placed, cancelled, refunded])).toMatchObject({ status: 'refunded', cancelledAt: at(2), refundedAt: at(3), failedAt: null });
  });

  it('given a failure, then the order is failed with its reason, then refunded', () => {
    const failed = envelope('OrderFailed', 3, { stage: 'mix', reason: 'mix station is out of Oolong' });
    const refunded = envelope('OrderRefunded', 4, { reason: 'mix station is out of Oolong', refundId: null, amountCents: 0, currency: 'USD' });
    expect(fold([placed, labelled, failed])).toMatchObject({ status: 'failed', failedAt: at(3), failureReason: 'mix station is out of Oolong' });
    expect(fold([placed, labelled, failed, refunded])).toMatchObject({ status: 'refunded', refundedAt: at(4) });
  });

  it('refuses an event that cannot follow the order as it is: mixed before labelled, anything after its end', () => {
    expect(() => fold([placed, mixed])).toThrow('TeaMixed #3 cannot follow an order that is placed');
    expect(() => fold([placed, labelled, topped])).toThrow('OrderTopped #4 cannot follow an order that is labelled');
    const late = envelope('OrderDelayed', 5, { stage: 'top', slaSeconds: 3 });
    expect(() => fold([placed, labelled, mixed, topped, late])).toThrow('OrderDelayed #5 cannot follow an order that is ready');
    const refunded = envelope('OrderRefunded', 2, { reason: 'why', refundId: null, amountCents: 0, currency: 'USD' });
    expect(() => fold([placed, refunded])).toThrow('OrderRefunded #2 cannot follow an order that is placed');
  });

  it('keeps no display text in the state: the status is all it says', () => {
    expect(Object.keys(fold([placed])!)).not.toContain('statusText');
  });
});

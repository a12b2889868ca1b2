import { describe, expect, it } from 'vitest';
import type { OrderEventData } from './event-envelope';
import type { Drink } from './order-input';
import { canCancel, cancelRefusal, refundDue } from './order-decider';
import { given } from './testing/order-specification';

const drinks: Drink[] = [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }];
const placed: OrderEventData = { type: 'OrderPlaced', data: { customerId: 'alice', drinks: drinks.map((drink) => ({ ...drink, priceCents: 625 })) } };
const paid: OrderEventData = { type: 'OrderPaid', data: { paymentId: 'pay_1', amountCents: 625, currency: 'USD' } };
const estimate = { labelSeconds: 2, mixingSeconds: 9, toppingSeconds: 2 };
const labelled: OrderEventData = { type: 'CupLabelled', data: { estimate } };
const mixed: OrderEventData = { type: 'TeaMixed', data: {} };
const topped: OrderEventData = { type: 'OrderTopped', data: {} };
const lateLabels: OrderEventData = { type: 'OrderDelayed', data: { stage: 'label', slaSeconds: 4 } };
const cancelled: OrderEventData = { type: 'OrderCancelled', data: { reason: 'changed my mind' } };
const failed: OrderEventData = { type: 'OrderFailed', data: { stage: 'mix', reason: 'mix station is out of Oolong' } };

describe('the order decider: placing and paying', () => {
  it('given nothing, when an order is placed, then OrderPlaced prices each drink from today’s list', () => {
    given().when({ type: 'PlaceOrder', data: { customerId: 'alice', drinks } }).then(placed);
  });

  it('given nothing, when an order with a note is placed, then OrderPlaced carries the note as every field of the order', () => {
    given()
      .when({ type: 'PlaceOrder', data: { customerId: 'alice', drinks, note: 'Less ice, please' } })
      .then({ type: 'OrderPlaced', data: { ...placed.data, note: 'Less ice, please' } } as OrderEventData);
  });

  it('given a placed order, when it is placed again, then it is refused', () => {
    given(placed).when({ type: 'PlaceOrder', data: { customerId: 'alice', drinks } }).thenRefused('ORDER_ALREADY_PLACED');
  });

  it('given nothing, when anything else comes, then there is no order to do it to', () => {
    given().when({ type: 'RecordMixing' }).thenRefused('ORDER_NOT_PLACED');
  });

  it('given a placed order, when the charge goes through, then it is paid its total', () => {
    given(placed).when({ type: 'RecordPayment', data: { paymentId: 'pay_1' } }).then(paid);
  });

  it('given a paid order, when a second payment comes, then it is out of step', () => {
    given(placed, paid).when({ type: 'RecordPayment', data: { paymentId: 'pay_2' } }).thenRefused('OUT_OF_STEP');
  });

  it('given a placed order, when the card is declined, then the payment is declined with the reason', () => {
    given(placed).when({ type: 'DeclinePayment', data: { reason: 'the card was declined' } }).then({ type: 'PaymentDeclined', data: { reason: 'the card was declined' } });
  });
});

describe('the order decider: the stations', () => {
  it('given a paid order, when its labels are printed, then CupLabelled carries the estimate', () => {
    given(placed, paid).when({ type: 'RecordLabels', data: { estimate } }).then(labelled);
  });

  it('given a labelled order, then mixing and topping follow in that order, and not the other way', () => {
    given(placed, paid, labelled).when({ type: 'RecordMixing' }).then(mixed);
    given(placed, paid, labelled, mixed).when({ type: 'RecordTopping' }).then(topped);
    given(placed, paid).when({ type: 'RecordMixing' }).thenRefused('OUT_OF_STEP');
    given(placed, paid, labelled).when({ type: 'RecordTopping' }).thenRefused('OUT_OF_STEP');
  });

  it('given a ready order, when anything more comes, then the order has ended', () => {
    given(placed, paid, labelled, mixed, topped).when({ type: 'RecordDelay', data: { stage: 'top', slaSeconds: 3 } }).thenRefused('ORDER_ENDED');
    given(placed, paid, labelled, mixed, topped).when({ type: 'FailOrder', data: { stage: null, reason: 'late' } }).thenRefused('ORDER_ENDED');
  });

  it('given an order at the mixer, when it outlasts its SLA, then OrderDelayed names the stage; and when a station fails, OrderFailed', () => {
    given(placed, paid, labelled).when({ type: 'RecordDelay', data: { stage: 'mix', slaSeconds: 14 } }).then({ type: 'OrderDelayed', data: { stage: 'mix', slaSeconds: 14 } });
    given(placed, paid, labelled).when({ type: 'FailOrder', data: { stage: 'mix', reason: 'mix station is out of Oolong' } }).then(failed);
  });
});

describe('the order decider: cancelling', () => {
  it('given an order waiting for its labels, even late ones, then it can be cancelled', () => {
    expect(canCancel(given(placed, paid).state!)).toBe(true);
    expect(canCancel(given(placed, paid, lateLabels).state!)).toBe(true);
    given(placed, paid, lateLabels).when({ type: 'CancelOrder', data: { reason: 'changed my mind' } }).then(cancelled);
  });

  it('given an order whose labels are printed, then a cancellation is refused: mixing has started', () => {
    expect(cancelRefusal(given(placed, paid, labelled).state!)).toBe('MIXING_STARTED');
    expect(cancelRefusal(given(placed, paid, labelled, { type: 'OrderDelayed', data: { stage: 'mix', slaSeconds: 14 } }).state!)).toBe('MIXING_STARTED');
  });

  it('given a cancellation accepted just before the labels were printed, then it is still recorded, but never once mixed', () => {
    given(placed, paid, labelled).when({ type: 'CancelOrder', data: { reason: 'changed my mind' } }).then(cancelled);
    given(placed, paid, labelled, mixed).when({ type: 'CancelOrder', data: { reason: 'too late' } }).thenRefused('MIXING_STARTED');
  });

  it('given an order cancelled already, or over, then it cannot be cancelled (again)', () => {
    expect(cancelRefusal(given(placed, paid, cancelled).state!)).toBe('ALREADY_CANCELLED');
    expect(cancelRefusal(given(placed, paid, labelled, mixed, topped).state!)).toBe('ORDER_ENDED');
    expect(cancelRefusal(given(placed, { type: 'PaymentDeclined', data: { reason: 'declined' } }).state!)).toBe('ORDER_ENDED');
    expect(cancelRefusal(given(placed, paid, labelled, failed).state!)).toBe('ORDER_ENDED');
  });
});

describe('the order decider: refunding', () => {
  it('given a paid order that was cancelled, then exactly what was charged is due, and the refund records it with the cancellation’s reason', () => {
    const order = given(placed, paid, cancelled);
    expect(refundDue(order.state)).toEqual({ paymentId: 'pay_1', amountCents: 625 });
    order.when({ type: 'RecordRefund', data: { refundId: 're_1' } }).then({ type: 'OrderRefunded', data: { reason: 'changed my mind', refundId: 're_1', amountCents: 625, currency: 'USD' } });
    order.when({ type: 'RecordRefund', data: { refundId: null } }).thenRefused('REFUND_NOT_MADE');
  });

  it('given an order from before payments that failed, then nothing is due and nothing is refunded, with the failure’s reason', () => {
    const order = given(placed, labelled, failed);
    expect(refundDue(order.state)).toBeNull();
    order.when({ type: 'RecordRefund', data: { refundId: null } }).then({ type: 'OrderRefunded', data: { reason: 'mix station is out of Oolong', refundId: null, amountCents: 0, currency: 'USD' } });
    order.when({ type: 'RecordRefund', data: { refundId: 're_1' } }).thenRefused('NOTHING_TO_REFUND');
  });

  it('given an order still being made, or refunded already, then no refund can be recorded', () => {
    given(placed, paid).when({ type: 'RecordRefund', data: { refundId: 're_1' } }).thenRefused('OUT_OF_STEP');
    const refunded: OrderEventData = { type: 'OrderRefunded', data: { reason: 'changed my mind', refundId: 're_1', amountCents: 625, currency: 'USD' } };
    given(placed, paid, cancelled, refunded).when({ type: 'RecordRefund', data: { refundId: 're_1' } }).thenRefused('ORDER_ENDED');
  });
});

import { describe, expect, it } from 'vitest';
import { orderEventOf, orderPlacedData, type OrderEvent } from './events';
import { nextClosingEvent, type ClosedOrderWorkflow } from './order-closing';
import { evolve } from './order-decider';
import { type OrderState } from './order-state';

const orderId = '0d3a3e55-8b1c-4b8e-9a51-7e2f2b0c4d11';
const drinks = [{ tea: 'Black' as const, sugar: 25 as const, pearl: 'None' as const }];
const closedAt = '2026-11-23T10:05:00.000Z';
const closed: ClosedOrderWorkflow = { orderId, closedAt, reason: "the order's workflow was terminated: stuck" };

const placed = orderEventOf(orderId, 1, 'OrderPlaced', orderPlacedData({ customerId: 'bob', drinks }), '2026-11-23T10:00:00.000Z');
const labelled = orderEventOf(orderId, 2, 'CupLabelled', { estimate: { labelSeconds: 1, mixingSeconds: 5, toppingSeconds: 1 } }, '2026-11-23T10:00:01.000Z');
const fold = (...events: OrderEvent[]) => events.reduce<OrderState | undefined>(evolve, undefined)!;

/** Applies closing events until there is none, as the reconciler does pass after pass. */
function closeCompletely(order: OrderState | null, workflow: ClosedOrderWorkflow = closed): OrderEvent[] {
  const published: OrderEvent[] = [];
  for (let event = nextClosingEvent(order, workflow); event; event = nextClosingEvent(order, workflow)) {
    published.push(event);
    order = evolve(order ?? undefined, event);
  }
  return published;
}

describe('nextClosingEvent (ending the order of a workflow that closed unfinished)', () => {
  it('given an order waiting at the mixer, fails it at the mix stage with the reason, then refunds it', () => {
    const events = closeCompletely(fold(placed, labelled));
    expect(events).toEqual([
      orderEventOf(orderId, 3, 'OrderFailed', { stage: 'mix', reason: closed.reason }, closedAt),
      orderEventOf(orderId, 4, 'OrderRefunded', { reason: closed.reason, refundId: null, amountCents: 0, currency: 'USD' }, closedAt),
    ]);
    expect(events.reduce<OrderState>(evolve, fold(placed, labelled))).toMatchObject({ status: 'refunded', failureReason: closed.reason, lastSequence: 4 });
  });

  it('given a delayed order, fails it at the stage it was late at', () => {
    const delayed = orderEventOf(orderId, 3, 'OrderDelayed', { stage: 'mix', slaSeconds: 4 }, '2026-11-23T10:00:09.000Z');
    expect(nextClosingEvent(fold(placed, labelled, delayed), closed)).toMatchObject({ type: 'OrderFailed', sequence: 4, data: { stage: 'mix' } });
  });

  it('given an order that already failed or was cancelled, only refunds it, with its own reason', () => {
    const failed = orderEventOf(orderId, 3, 'OrderFailed', { stage: 'mix', reason: 'mix station is out of Oolong' }, '2026-11-23T10:00:03.000Z');
    expect(closeCompletely(fold(placed, labelled, failed))).toEqual([orderEventOf(orderId, 4, 'OrderRefunded', { reason: 'mix station is out of Oolong', refundId: null, amountCents: 0, currency: 'USD' }, closedAt)]);
    const cancelled = orderEventOf(orderId, 2, 'OrderCancelled', { reason: 'changed my mind' }, '2026-11-23T10:00:01.000Z');
    expect(closeCompletely(fold(placed, cancelled))).toEqual([orderEventOf(orderId, 3, 'OrderRefunded', { reason: 'changed my mind', refundId: null, amountCents: 0, currency: 'USD' }, closedAt)]);
  });

  it('given a ready or refunded order, has nothing left to do', () => {
    const ready = fold(placed, labelled, orderEventOf(orderId, 3, 'TeaMixed', {}, closedAt), orderEventOf(orderId, 4, 'OrderTopped', {}, closedAt));
    expect(nextClosingEvent(ready, closed)).toBeNull();
    const refunded = fold(placed, ...closeCompletely(fold(placed)));
    expect(refunded.status).toBe('refunded');
    expect(nextClosingEvent(refunded, closed)).toBeNull();
  });

  it('given a workflow that closed before publishing anything, places the order as ordered, then fails and refunds it', () => {
    const workflow = { ...closed, placed: { customerId: 'bob', drinks, at: '2026-11-23T10:00:00.000Z' } };
    expect(closeCompletely(null, workflow).map((event) => [event.sequence, event.type])).toEqual([
      [1, 'OrderPlaced'],
      [2, 'OrderFailed'],
      [3, 'OrderRefunded'],
    ]);
    expect(() => nextClosingEvent(null, closed)).toThrow(/not known/);
  });

  it('gives the same event when asked again, so publishing it twice is one event', () => {
    expect(nextClosingEvent(fold(placed), closed)).toEqual(nextClosingEvent(fold(placed), closed));
  });
});

import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import { ALTERNATIVE_PATHS, orderHistory, orderHistoryOf } from './testing/order-event-fixtures';
import { foldLog } from './verify';

const fold = (events: readonly OrderEvent[]) => events.reduce<OrderState | undefined>(evolve, undefined)!;

describe('foldLog', () => {
  it('folds each order of an interleaved log by itself', () => {
    const straight = orderHistory(1);
    const cancelled = orderHistoryOf(2, ALTERNATIVE_PATHS['placed, cancelled, refunded']);
    const log = [straight[0]!, cancelled[0]!, straight[1]!, cancelled[1]!, cancelled[2]!, straight[2]!, straight[3]!];
    expect(foldLog(log)).toEqual(new Map([[straight[0]!.orderId, fold(straight)], [cancelled[0]!.orderId, fold(cancelled)]]));
  });

  it('counts the first of a redelivered event, as the projector does, even when the redelivery is later in time', () => {
    const history = orderHistory(3);
    const redelivered = { ...history[1]!, occurredAt: '2030-01-01T00:00:00.000Z' };
    expect(foldLog([history[0]!, history[1]!, redelivered, history[2]!, history[3]!]).get(history[0]!.orderId)).toEqual(fold(history));
  });

  it('stops an order at an event that cannot follow it, as the projector parks the order there', () => {
    const mixedTwice = orderHistoryOf(4, [orderHistory(5)[1]!, { type: 'TeaMixed', data: {} }, { type: 'TeaMixed', data: {} }, { type: 'OrderTopped', data: {} }]);
    const fine = orderHistory(6);
    const folded = foldLog([...mixedTwice, ...fine]);
    expect(folded.get(mixedTwice[0]!.orderId)).toEqual(fold(mixedTwice.slice(0, 3)));
    expect(folded.get(fine[0]!.orderId)).toEqual(fold(fine));
  });

  it('stops an order at a gap, as the projector waits there', () => {
    const history = orderHistory(4);
    expect(foldLog([history[0]!, history[2]!, history[1]!, history[3]!]).get(history[0]!.orderId)).toEqual(fold(history.slice(0, 1)));
  });
});

import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import { projectorMetrics, recordAppliedEvents } from './projector-metrics';
import { ALTERNATIVE_PATHS, orderHistory, orderHistoryOf } from './testing/order-event-fixtures';

/** The order-flow metrics come from applied events, each with the order as it is after it. */
function applied(events: OrderEvent[]): Array<{ event: OrderEvent; state: OrderState }> {
  let state: OrderState | undefined;
  return events.map((event) => ({ event, state: (state = evolve(state, event)) }));
}

const metrics = projectorMetrics();
const value = async (metric: { get(): Promise<{ values: Array<{ labels: object; value: number; metricName?: string }> }> }, labels: object, metricName?: string) =>
  (await metric.get()).values.filter((sample) => (metricName === undefined || sample.metricName === metricName) && Object.entries(labels).every(([key, wanted]) => (sample.labels as Record<string, unknown>)[key] === wanted)).reduce((total, sample) => total + sample.value, 0);

describe('order-flow metrics from applied events', () => {
  it('count outcomes, breaches and each stage of a ready, a late, a cancelled and a failed order', async () => {
    const before = {
      ready: await value(metrics.ordersCompleted, { outcome: 'ready' }),
      cancelled: await value(metrics.ordersCompleted, { outcome: 'cancelled' }),
      failed: await value(metrics.ordersCompleted, { outcome: 'failed' }),
      mixBreaches: await value(metrics.slaBreaches, { stage: 'mix' }),
      mixSum: await value(metrics.stageSeconds, { stage: 'mix' }, 'bubble_tea_order_stage_seconds_sum'),
      readyCount: await value(metrics.placedToReady, {}, 'bubble_tea_order_placed_to_ready_seconds_count'),
    };
    const straight = orderHistory(0);
    recordAppliedEvents(metrics, applied(straight));
    recordAppliedEvents(metrics, applied(orderHistoryOf(1, ALTERNATIVE_PATHS['placed, labelled, delayed, mixed, ready'])));
    recordAppliedEvents(metrics, applied(orderHistoryOf(2, ALTERNATIVE_PATHS['placed, cancelled, refunded'])));
    recordAppliedEvents(metrics, applied(orderHistoryOf(3, ALTERNATIVE_PATHS['placed, labelled, failed, refunded'])));

    expect(await value(metrics.ordersCompleted, { outcome: 'ready' })).toBe(before.ready + 2);
    expect(await value(metrics.ordersCompleted, { outcome: 'cancelled' })).toBe(before.cancelled + 1);
    expect(await value(metrics.ordersCompleted, { outcome: 'failed' })).toBe(before.failed + 1);
    expect(await value(metrics.slaBreaches, { stage: 'mix' })).toBe(before.mixBreaches + 1);
    expect(await value(metrics.placedToReady, {}, 'bubble_tea_order_placed_to_ready_seconds_count')).toBe(before.readyCount + 2);
    // The straight order mixed from 4.25 s to 11 s after it was placed.
    const mixed = (Date.parse(straight[2]!.occurredAt) - Date.parse(straight[1]!.occurredAt)) / 1000;
    expect(mixed).toBe(6.75);
    expect(await value(metrics.stageSeconds, { stage: 'mix' }, 'bubble_tea_order_stage_seconds_sum')).toBeGreaterThanOrEqual(before.mixSum + mixed);
  });
});

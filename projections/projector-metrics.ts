import { Counter, Gauge, Histogram } from 'prom-client';
import type { OrderEvent } from '../contracts/events';
import { STATIONS, type Station } from '../contracts/names';
import type { OrderState } from '../contracts/order-state';
import { lazyMetrics } from '../observability/lazy-metrics';
import type { ApplyOutcome } from './event-batch';

/**
 * What the projector measures. The order-flow facts (outcomes, stage times, SLA breaches) are counted here,
 * from events the read model has just committed: each event is applied once in effect however often Kafka
 * delivers it, and each partition has one projector, so scaling any role out never counts a fact twice.
 */

/** Seconds: from instant stations in tests to a slow real order of several minutes. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

export const projectorMetrics = lazyMetrics(() => {
  let lastAppliedOccurredAt: number | undefined;
  const metrics = {
    events: new Counter({ name: 'bubble_tea_projector_events_total', help: 'Order events read by the projector, by what became of them', labelNames: ['outcome'] as const }),
    deadLettered: new Counter({ name: 'bubble_tea_projector_dead_lettered_total', help: 'Messages sent to the dead-letter topic, by whether their order was parked', labelNames: ['parked'] as const }),
    transactionSeconds: new Histogram({ name: 'bubble_tea_projector_transaction_seconds', help: 'Time to apply one batch of events in one PostgreSQL transaction', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] }),
    applyLagSeconds: new Histogram({ name: 'bubble_tea_projector_apply_lag_seconds', help: 'From an event occurring (workflow time) to the read model committing it', buckets: DURATION_BUCKETS }),
    consumerLag: new Gauge({ name: 'bubble_tea_projector_consumer_lag', help: 'Messages of the partition not yet applied by this projector (high watermark minus next offset)', labelNames: ['topic', 'partition'] as const }),
    lastAppliedAge: new Gauge({
      name: 'bubble_tea_projector_last_applied_event_age_seconds',
      help: 'Age of the newest event the projector applied (when it occurred), at scrape time; absent before the first',
      collect() {
        if (lastAppliedOccurredAt !== undefined) this.set((Date.now() - lastAppliedOccurredAt) / 1000);
      },
    }),
    ordersCompleted: new Counter({ name: 'bubble_tea_orders_completed_total', help: 'Orders that reached an outcome: ready, cancelled or failed', labelNames: ['outcome'] as const }),
    placedToReady: new Histogram({ name: 'bubble_tea_order_placed_to_ready_seconds', help: 'From OrderPlaced to OrderTopped (ready), for orders that became ready', buckets: DURATION_BUCKETS }),
    stageSeconds: new Histogram({ name: 'bubble_tea_order_stage_seconds', help: 'Time spent in each station (label: placed to labelled, mix: to mixed, top: to ready)', labelNames: ['stage'] as const, buckets: DURATION_BUCKETS }),
    slaBreaches: new Counter({ name: 'bubble_tea_order_sla_breaches_total', help: 'Stages that took longer than their SLA (OrderDelayed)', labelNames: ['stage'] as const }),
    noteApplied(occurredAt: number) {
      lastAppliedOccurredAt = Math.max(lastAppliedOccurredAt ?? occurredAt, occurredAt);
    },
  };
  // Every series an alert or a dashboard reads exists from the start, at 0, rather than appearing with its first event.
  for (const outcome of APPLY_OUTCOMES) metrics.events.inc({ outcome }, 0);
  for (const parked of ['true', 'false']) metrics.deadLettered.inc({ parked }, 0);
  for (const outcome of ORDER_OUTCOMES) metrics.ordersCompleted.inc({ outcome }, 0);
  for (const stage of STATIONS) {
    metrics.slaBreaches.inc({ stage }, 0);
    metrics.stageSeconds.zero({ stage });
  }
  return metrics;
});

const APPLY_OUTCOMES: readonly ApplyOutcome[] = ['applied', 'duplicate', 'gap', 'parked'];
const ORDER_OUTCOMES = ['ready', 'cancelled', 'failed'] as const;

export type ProjectorMetrics = ReturnType<typeof projectorMetrics>;

const seconds = (from: string | null, to: string | null) => (from === null || to === null ? undefined : (Date.parse(to) - Date.parse(from)) / 1000);

/** Records the facts of events the read model has committed, each with the order as it is after it. */
export function recordAppliedEvents(metrics: ProjectorMetrics, applied: ReadonlyArray<{ event: OrderEvent; state: OrderState }>, now = Date.now()): void {
  for (const { event, state } of applied) {
    const occurredAt = Date.parse(event.occurredAt);
    metrics.applyLagSeconds.observe(Math.max(0, (now - occurredAt) / 1000));
    metrics.noteApplied(occurredAt);
    const observeStage = (stage: Station, value: number | undefined) => value !== undefined && metrics.stageSeconds.observe({ stage }, value);
    switch (event.type) {
      case 'CupLabelled':
        observeStage('label', seconds(state.placedAt, state.labelledAt));
        break;
      case 'TeaMixed':
        observeStage('mix', seconds(state.labelledAt, state.mixedAt));
        break;
      case 'OrderTopped': {
        observeStage('top', seconds(state.mixedAt, state.readyAt));
        const total = seconds(state.placedAt, state.readyAt);
        if (total !== undefined) metrics.placedToReady.observe(total);
        metrics.ordersCompleted.inc({ outcome: 'ready' });
        break;
      }
      case 'OrderDelayed':
        metrics.slaBreaches.inc({ stage: event.data.stage });
        break;
      case 'OrderCancelled':
        metrics.ordersCompleted.inc({ outcome: 'cancelled' });
        break;
      case 'OrderFailed':
        metrics.ordersCompleted.inc({ outcome: 'failed' });
        break;
      case 'OrderPlaced':
      case 'OrderRefunded':
        break;
    }
  }
}

export function countOutcomes(metrics: ProjectorMetrics, outcomes: readonly ApplyOutcome[]): void {
  for (const outcome of outcomes) metrics.events.inc({ outcome });
}

import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { PaymentActivities } from '../activities/payments';
import type { PublisherActivities } from '../activities/publisher';
import type { StationActivities } from '../activities/stations';
import { SCHEMA_VERSION, type OrderEvent, type OrderEventOf, type OrderEventType, type StationEstimate } from '../contracts/events';
import { eventIdOf } from '../contracts/ids';
import { TASK_QUEUES, type Station } from '../contracts/names';
import { evolve, type OrderState } from '../contracts/order-state';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { CANCEL_REFUSED_AFTER_MIXING, cancelOrderUpdate, getOrderQuery, type CancelRequest, type OrderWorkflowInput } from './order-definitions';
import { labelSlaSeconds, slaSeconds } from './sla';

/** Transient station faults are retried with backoff, per station; an ingredient out of stock is not retried. */
function stationRetry(maximumAttempts: number, maximumInterval: Duration): RetryPolicy {
  return { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval, maximumAttempts, nonRetryableErrorTypes: ['OutOfStock'] };
}

const label = proxyActivities<Pick<StationActivities, 'printLabels'>>({
  taskQueue: TASK_QUEUES.label,
  startToCloseTimeout: '2 minutes',
  retry: stationRetry(5, '5 seconds'),
});
const mix = proxyActivities<Pick<StationActivities, 'mixTea'>>({
  taskQueue: TASK_QUEUES.mix,
  startToCloseTimeout: '10 minutes',
  retry: stationRetry(10, '20 seconds'),
});
const top = proxyActivities<Pick<StationActivities, 'sealTop'>>({
  taskQueue: TASK_QUEUES.top,
  startToCloseTimeout: '2 minutes',
  retry: stationRetry(5, '5 seconds'),
});
const publisher = proxyActivities<PublisherActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
const payments = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

type Outcome = { kind: 'ready' } | { kind: 'cancelled'; reason: string } | { kind: 'failed'; stage: Station | null; reason: string };

/**
 * One order, label → mix → top. The workflow is the order's single writer: after each step it publishes the
 * step's event with the next sequence number and folds it into the state its query returns. Each stage races
 * an SLA timer (a breach is published once and the order goes on); the whole order races a hard deadline.
 * A cancelled or failed order is refunded, and the refund is an event too.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderState> {
  const { orderId, policy } = input;
  let state: OrderState | undefined;
  let sequence = 0;
  let mixingStarted = false;
  let cancelReason: string | undefined;
  let currentStage: Station | null = null;
  let stageStatus: OrderState['status'] = 'placed';
  const work = new CancellationScope();

  /** Publishing is never cancelled: a sequence number once taken must reach Kafka, or the read side would wait for it forever. */
  async function publish<Type extends OrderEventType>(type: Type, data: OrderEventOf<Type>['data']): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      sequence += 1;
      const event = {
        eventId: eventIdOf(orderId, sequence),
        orderId,
        sequence,
        type,
        schemaVersion: SCHEMA_VERSION,
        occurredAt: new Date().toISOString(),
        data,
      } as OrderEvent;
      await publisher.publishEvent(event);
      state = evolve(state, event);
      // A delay is what SlaBreached says; OrderStatus keeps the stage, so operators can ask "breached and still mixing".
      if (state.status !== 'delayed') stageStatus = state.status;
      upsertSearchAttributes([
        { key: SEARCH_ATTRIBUTES.OrderStatus, value: stageStatus },
        { key: SEARCH_ATTRIBUTES.SlaBreached, value: state.slaBreached },
      ]);
      upsertMemo({ summary: `${state.drinks.length} drink(s) for ${state.customerId}: ${state.statusText}` });
    });
  }

  /** Runs one station, publishing OrderDelayed once if it outlasts its SLA, and waiting for it either way. */
  async function stage<Result>(station: Station, sla: number, run: () => Promise<Result>): Promise<Result> {
    currentStage = station;
    let settled = false;
    const running = run();
    running.then(
      () => (settled = true),
      () => (settled = true),
    );
    // An SLA of 0 (no grace and instant stations) means the stage has none.
    if (sla > 0 && !(await condition(() => settled, sla * 1000))) {
      log.warn('SLA breached', { alert: 'order_sla_breached', orderId, stage: station, slaSeconds: sla });
      await publish('OrderDelayed', { stage: station, slaSeconds: sla });
    }
    return running;
  }

  setHandler(getOrderQuery, () => state ?? null);
  setHandler(
    cancelOrderUpdate,
    async (request: CancelRequest): Promise<OrderState> => {
      cancelReason ??= request.reason?.trim() || 'cancelled by the customer';
      work.cancel();
      await condition(() => state?.status === 'refunded');
      return state!;
    },
    {
      validator: (_request: CancelRequest) => {
        if (cancelReason === undefined && mixingStarted) throw new Error(CANCEL_REFUSED_AFTER_MIXING);
      },
    },
  );

  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.CustomerId, value: input.customerId },
    { key: SEARCH_ATTRIBUTES.DrinkCount, value: input.drinks.length },
  ]);
  await publish('OrderPlaced', { customerId: input.customerId, drinks: input.drinks });

  const makeTea = async (): Promise<Outcome> => {
    const estimate: StationEstimate = await stage('label', labelSlaSeconds(input.drinks.length, policy), () =>
      label.printLabels({ orderId, drinks: input.drinks }),
    );
    await publish('CupLabelled', { estimate });
    // The last moment a cancellation is accepted: from here the validator refuses it.
    if (cancelReason !== undefined) return { kind: 'cancelled', reason: cancelReason };
    mixingStarted = true;
    await stage('mix', slaSeconds(estimate.mixingSeconds, policy), () => mix.mixTea({ orderId, drinks: input.drinks, mixingSeconds: estimate.mixingSeconds }));
    await publish('TeaMixed', {});
    await stage('top', slaSeconds(estimate.toppingSeconds, policy), () => top.sealTop({ orderId, drinks: input.drinks, toppingSeconds: estimate.toppingSeconds }));
    await publish('OrderTopped', {});
    return { kind: 'ready' };
  };

  let deadlinePassed = false;
  void sleep(policy.deadlineSeconds * 1000).then(() => {
    deadlinePassed = true;
    work.cancel();
  });
  const outcome = await work.run(makeTea).catch((error: unknown): Outcome => {
    if (cancelReason !== undefined && isCancellation(error)) return { kind: 'cancelled', reason: cancelReason };
    if (deadlinePassed && isCancellation(error)) return { kind: 'failed', stage: currentStage, reason: `not ready within the ${policy.deadlineSeconds}s deadline` };
    if (error instanceof ActivityFailure) return { kind: 'failed', stage: currentStage, reason: failureReasonOf(error) };
    throw error;
  });

  if (outcome.kind !== 'ready') {
    if (outcome.kind === 'cancelled') await publish('OrderCancelled', { reason: outcome.reason });
    else {
      log.error('Order failed', { alert: 'order_failed', orderId, stage: outcome.stage, reason: outcome.reason });
      await publish('OrderFailed', { stage: outcome.stage, reason: outcome.reason });
    }
    await CancellationScope.nonCancellable(() => payments.refundOrder({ orderId, reason: outcome.reason }));
    await publish('OrderRefunded', { reason: outcome.reason });
  }
  // A cancellation's Update returns the refunded state: let it answer before the workflow completes.
  await condition(allHandlersFinished);
  return state!;
}

function failureReasonOf(error: ActivityFailure): string {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.message) return cause.message;
  return cause?.message ?? error.message;
}

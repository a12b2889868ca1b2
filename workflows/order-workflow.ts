import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import { PAYMENT_DECLINED } from '../activities/payment-provider';
import type { PaymentActivities } from '../activities/payments';
import type { PublisherActivities } from '../activities/publisher';
import type { StationActivities } from '../activities/stations';
import { orderEventOf, orderPlacedData } from '../contracts/event-envelope';
import type { OrderEventOf, OrderEventType, StationEstimate } from '../contracts/events';
import { eventIdOf } from '../contracts/ids';
import { TASK_QUEUES, type Station } from '../contracts/names';
import { evolve, FINAL_STATUSES, type OrderState } from '../contracts/order-state';
import { CURRENCY } from '../contracts/menu';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { upcastOrderEvent, type LoggedOrderEvent } from '../contracts/upcast-steps';
import { CANCEL_REFUSED_AFTER_MIXING, cancelOrderUpdate, getOrderQuery, orderSummary, type CancelRequest, type OrderWorkflowInput } from './order-definitions';
import { labelSlaSeconds, slaSeconds } from './sla';

/**
 * Stations heartbeat while they work (activities/stations.ts): a worker that stops heartbeating for this long
 * is taken for dead and its activity is retried on another worker, long before its start-to-close timeout.
 */
const STATION_HEARTBEAT_TIMEOUT = '5 seconds';

/** Transient station faults are retried with backoff, per station; an ingredient out of stock is not retried. */
function stationRetry(maximumAttempts: number, maximumInterval: Duration): RetryPolicy {
  return { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval, maximumAttempts, nonRetryableErrorTypes: ['OutOfStock'] };
}

const label = proxyActivities<Pick<StationActivities, 'printLabels'>>({
  taskQueue: TASK_QUEUES.label,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: STATION_HEARTBEAT_TIMEOUT,
  retry: stationRetry(5, '5 seconds'),
});
const mix = proxyActivities<Pick<StationActivities, 'mixTea'>>({
  taskQueue: TASK_QUEUES.mix,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: STATION_HEARTBEAT_TIMEOUT,
  retry: stationRetry(10, '20 seconds'),
});
const top = proxyActivities<Pick<StationActivities, 'sealTop'>>({
  taskQueue: TASK_QUEUES.top,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: STATION_HEARTBEAT_TIMEOUT,
  retry: stationRetry(5, '5 seconds'),
});
const publishRetry: RetryPolicy = { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' };
/** Orders started before events were published by local activities still replay with this one. */
const publisher = proxyActivities<PublisherActivities>({ startToCloseTimeout: '30 seconds', retry: publishRetry });
/**
 * Publishing runs on the orchestrator inside the workflow task: no round trip through the server per event.
 * Still at least once (a crash before the task completes publishes the same event again) and in sequence
 * (each publish is awaited before the next event is numbered); retried until Kafka takes it.
 */
const localPublisher = proxyLocalActivities<PublisherActivities>({ startToCloseTimeout: '30 seconds', retry: publishRetry });

/** The change that moved publishing to local activities and visibility updates to when they change. */
export const PUBLISH_LOCALLY_PATCH = 'publish-events-locally';
/** The change that publishes OrderPlaced v2, with a price per drink; orders started before it publish v1. */
export const PRICED_ORDER_PLACED_PATCH = 'priced-order-placed';
/** The change that charges the order before labelling and refunds what was charged (OrderPaid, PaymentDeclined, OrderRefunded v2). */
export const CHARGE_BEFORE_LABELLING_PATCH = 'charge-before-labelling';
/** The change that marks how the order ended in the OrderOutcome search attribute, for operators in the Temporal UI. */
export const ORDER_OUTCOME_PATCH = 'order-outcome-search-attribute';
/** A declined payment is not retried; anything else (the provider unreachable) is, with the same idempotency key. */
const payments = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: [PAYMENT_DECLINED] },
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
  const publishLocally = patched(PUBLISH_LOCALLY_PATCH);
  const pricedOrderPlaced = patched(PRICED_ORDER_PLACED_PATCH);
  const charging = patched(CHARGE_BEFORE_LABELLING_PATCH);
  /** Every order ends as completed in Temporal: this says how it really ended (set last, once). */
  const showOutcome = (outcome: 'ready' | 'cancelled' | 'failed' | 'declined') => {
    if (patched(ORDER_OUTCOME_PATCH)) upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.OrderOutcome, value: outcome }]);
  };
  const visibility = orderVisibility(input, publishLocally);
  let state: OrderState | undefined;
  let sequence = 0;
  let mixingStarted = false;
  let cancelReason: string | undefined;
  let currentStage: Station | null = null;
  let stageStatus: OrderState['status'] = 'placed';
  const work = new CancellationScope();

  async function publish<Type extends OrderEventType>(type: Type, data: OrderEventOf<Type>['data']): Promise<void> {
    await publishAs((number, occurredAt) => orderEventOf(orderId, number, type, data, occurredAt));
  }

  /**
   * Publishes the event `build` makes with the next sequence number, as built (an older version for orders
   * started before a change), and folds its current version. Never cancelled: a sequence number once taken
   * must reach Kafka, or the read side would wait for it forever.
   */
  async function publishAs(build: (sequence: number, occurredAt: string) => LoggedOrderEvent): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      sequence += 1;
      const event = build(sequence, new Date().toISOString());
      await (publishLocally ? localPublisher : publisher).publishEvent(event);
      state = evolve(state, upcastOrderEvent(event));
      // A delay is what SlaBreached says; OrderStatus keeps the stage, so operators can ask "breached and still mixing".
      if (state.status !== 'delayed') stageStatus = state.status;
      visibility.show(stageStatus, state);
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

  /**
   * Charges the order's total before any station begins, never cancelled (a charge in flight must be known).
   * Declined: PaymentDeclined ends the order, and nothing is refunded since nothing was taken.
   */
  async function charge(): Promise<boolean> {
    const amountCents = state!.totalCents;
    const result = await CancellationScope.nonCancellable(() =>
      payments.chargeOrder({ orderId, customerId: input.customerId, amountCents, currency: CURRENCY }).catch((error: unknown) => {
        if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === PAYMENT_DECLINED) return error.cause.message;
        throw error;
      }),
    );
    if (typeof result === 'string') {
      await publish('PaymentDeclined', { reason: result });
      return false;
    }
    await publish('OrderPaid', { paymentId: result.paymentId, amountCents, currency: CURRENCY });
    return true;
  }

  /** Gives back exactly what was charged, once (the refund is keyed by the order); orders from before payments were never charged. */
  async function refund(reason: string): Promise<void> {
    const { paymentId, paidCents } = state!;
    if (paymentId === null || paidCents === null) {
      await CancellationScope.nonCancellable(() => payments.refundOrder({ orderId, reason }));
      await publish('OrderRefunded', { reason, refundId: null, amountCents: 0, currency: CURRENCY });
      return;
    }
    const { refundId } = await CancellationScope.nonCancellable(() => payments.refundPayment({ orderId, paymentId, amountCents: paidCents, currency: CURRENCY }));
    await publish('OrderRefunded', { reason, refundId, amountCents: paidCents, currency: CURRENCY });
  }

  setHandler(getOrderQuery, () => state ?? null);
  setHandler(
    cancelOrderUpdate,
    async (request: CancelRequest): Promise<OrderState> => {
      cancelReason ??= request.reason?.trim() || 'cancelled by the customer';
      work.cancel();
      await condition(() => state !== undefined && FINAL_STATUSES.has(state.status));
      return state!;
    },
    {
      validator: (_request: CancelRequest) => {
        if (cancelReason === undefined && mixingStarted) throw new Error(CANCEL_REFUSED_AFTER_MIXING);
      },
    },
  );

  visibility.start();
  if (pricedOrderPlaced) await publish('OrderPlaced', orderPlacedData(input.customerId, input.drinks));
  else {
    const data = { customerId: input.customerId, drinks: input.drinks };
    await publishAs((number, occurredAt) => ({ eventId: eventIdOf(orderId, number), orderId, sequence: number, type: 'OrderPlaced', schemaVersion: 1, occurredAt, data }));
  }

  if (charging) {
    const paid = await charge();
    if (!paid) {
      showOutcome('declined');
      await condition(allHandlersFinished);
      return state!;
    }
  }

  const makeTea = async (): Promise<Outcome> => {
    // Cancelled while the payment went through: no station begins.
    if (cancelReason !== undefined) return { kind: 'cancelled', reason: cancelReason };
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
    await refund(outcome.reason);
  }
  showOutcome(outcome.kind);
  // A cancellation's Update returns the refunded state: let it answer before the workflow completes.
  await condition(allHandlersFinished);
  return state!;
}

/**
 * What operators see of the order in Temporal's visibility: search attributes and a memo. Every change is a
 * write on the server, so changes are made only when a value changes, and what the start request already
 * carries (the API sets them) is not written again. Orders started before the patch keep their old updates.
 */
function orderVisibility(input: OrderWorkflowInput, onlyChanges: boolean) {
  const summary = orderSummary(input);
  const info = workflowInfo();
  let shownStatus = onlyChanges ? info.typedSearchAttributes.get(SEARCH_ATTRIBUTES.OrderStatus) : undefined;
  let shownBreached = false;
  return {
    start() {
      const attributes = onlyChanges ? info.typedSearchAttributes : undefined;
      if (attributes?.get(SEARCH_ATTRIBUTES.CustomerId) === undefined || attributes.get(SEARCH_ATTRIBUTES.DrinkCount) === undefined) {
        upsertSearchAttributes([
          { key: SEARCH_ATTRIBUTES.CustomerId, value: input.customerId },
          { key: SEARCH_ATTRIBUTES.DrinkCount, value: input.drinks.length },
        ]);
      }
      if (onlyChanges && info.memo?.summary === undefined) upsertMemo({ summary });
    },
    show(stageStatus: OrderState['status'], state: OrderState) {
      if (!onlyChanges) {
        upsertSearchAttributes([
          { key: SEARCH_ATTRIBUTES.OrderStatus, value: stageStatus },
          { key: SEARCH_ATTRIBUTES.SlaBreached, value: state.slaBreached },
        ]);
        upsertMemo({ summary: `${summary}: ${state.statusText}` });
        return;
      }
      if (stageStatus === shownStatus && state.slaBreached === shownBreached) return;
      upsertSearchAttributes([
        { key: SEARCH_ATTRIBUTES.OrderStatus, value: stageStatus },
        { key: SEARCH_ATTRIBUTES.SlaBreached, value: state.slaBreached },
      ]);
      shownStatus = stageStatus;
      shownBreached = state.slaBreached;
    },
  };
}

function failureReasonOf(error: ActivityFailure): string {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.message) return cause.message;
  return cause?.message ?? error.message;
}

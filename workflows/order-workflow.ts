import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { PAYMENT_DECLINED } from '../activities/payment-provider';
import { CURRENCY } from '../contracts/menu';
import type { Station } from '../contracts/names';
import { cancelRefusal, refundDue } from '../contracts/order-decider';
import { deadlineReason, labelSlaSeconds, slaSeconds } from '../contracts/order-policy';
import { FINAL_STATUSES, type OrderState } from '../contracts/order-state';
import { label, mix, payments, top } from './order-activities';
import { cancelOrderUpdate, getOrderQuery, placedOrderOf, type CancelRequest, type OrderWorkflowInput } from './order-definitions';
import { orderPatches, type OrderPatches } from './order-patches';
import { OrderRecord } from './order-record';
import { orderVisibility, showOutcome } from './order-visibility';

/** How the stations' part of an order ended. */
type Outcome = { kind: 'ready' } | { kind: 'cancelled'; reason: string } | { kind: 'failed'; stage: Station | null; reason: string };

/** One running order: what it was given, what it has published, and what has been asked of it. */
interface Order {
  input: OrderWorkflowInput;
  patches: OrderPatches;
  record: OrderRecord;
  /** The stations' work, cancelled by a cancellation or by the deadline. */
  work: CancellationScope;
  /** The reason of the cancellation asked for, once one is accepted. */
  cancellation?: string;
  /** The station the order is at, for the reason of a failure. */
  stage: Station | null;
}

/**
 * One order, placed → charged → labelled → mixed → topped. Each station races an SLA timer (a breach is
 * published once and the order goes on); the stations together race a hard deadline; a cancelled or failed
 * order is refunded, and the refund is an event too. What each step records is decided by the order's rules
 * (contracts/order-decider.ts); this is the driver: setup, then the story.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderState> {
  const order = setup(input);
  await run(order);
  // A cancellation's Update returns the refunded state: let it answer before the workflow completes.
  await condition(allHandlersFinished);
  return order.record.current;
}

/** Which version of the story this order follows, what operators see of it, and its query and cancellation. */
function setup(input: OrderWorkflowInput): Order {
  const patches = orderPatches();
  const visibility = orderVisibility(input, patches.publishLocally);
  const order: Order = { input, patches, record: new OrderRecord(input.orderId, patches.publishLocally, visibility), work: new CancellationScope(), stage: null };
  setHandler(getOrderQuery, () => order.record.state ?? null);
  setHandler(cancelOrderUpdate, (request) => cancel(order, request), { validator: (_request: CancelRequest) => refuseCancellation(order) });
  visibility.start();
  return order;
}

async function run(order: Order): Promise<void> {
  await place(order);
  if (order.patches.charging && !(await charge(order))) return showOutcome('declined');
  const outcome = await makeTeaInTime(order);
  if (outcome.kind === 'cancelled') await order.record.record({ type: 'CancelOrder', data: { reason: outcome.reason } });
  if (outcome.kind === 'failed') {
    log.error('Order failed', { alert: 'order_failed', orderId: order.input.orderId, stage: outcome.stage, reason: outcome.reason });
    await order.record.record({ type: 'FailOrder', data: { stage: outcome.stage, reason: outcome.reason } });
  }
  if (outcome.kind !== 'ready') await refund(order);
  showOutcome(outcome.kind);
}

async function place(order: Order): Promise<void> {
  if (order.patches.pricedOrderPlaced) await order.record.record({ type: 'PlaceOrder', data: placedOrderOf(order.input) });
  else await order.record.recordUnpricedPlacement(order.input);
}

/**
 * Charges the order's total before any station begins, never cancelled (a charge in flight must be known).
 * Declined: PaymentDeclined ends the order, and nothing is refunded since nothing was taken.
 */
async function charge(order: Order): Promise<boolean> {
  const { orderId, customerId } = order.input;
  const amountCents = order.record.current.totalCents;
  const result = await CancellationScope.nonCancellable(() => payments.chargeOrder({ orderId, customerId, amountCents, currency: CURRENCY }).catch(declineReasonOf));
  if (typeof result === 'string') {
    await order.record.record({ type: 'DeclinePayment', data: { reason: result } });
    return false;
  }
  await order.record.record({ type: 'RecordPayment', data: { paymentId: result.paymentId } });
  return true;
}

/** The stations, within the order's deadline and until a cancellation. */
async function makeTeaInTime(order: Order): Promise<Outcome> {
  const { policy } = order.input;
  let deadlinePassed = false;
  void sleep(policy.deadlineSeconds * 1000).then(() => {
    deadlinePassed = true;
    order.work.cancel();
  });
  return order.work.run(() => makeTea(order)).catch((error: unknown): Outcome => {
    if (order.cancellation !== undefined && isCancellation(error)) return { kind: 'cancelled', reason: order.cancellation };
    if (deadlinePassed && isCancellation(error)) return { kind: 'failed', stage: order.stage, reason: deadlineReason(policy) };
    if (error instanceof ActivityFailure) return { kind: 'failed', stage: order.stage, reason: failureReasonOf(error) };
    throw error;
  });
}

async function makeTea(order: Order): Promise<Outcome> {
  const { input, record } = order;
  const { orderId, drinks, policy } = input;
  // Cancelled while the payment went through: no station begins.
  if (order.cancellation !== undefined) return { kind: 'cancelled', reason: order.cancellation };
  const estimate = await station(order, 'label', labelSlaSeconds(drinks.length, policy), () => label.printLabels({ orderId, drinks }));
  await record.record({ type: 'RecordLabels', data: { estimate } });
  // The last moment a cancellation is accepted (one asked while the labels were published): from here it is refused.
  if (order.cancellation !== undefined) return { kind: 'cancelled', reason: order.cancellation };
  await station(order, 'mix', slaSeconds(estimate.mixingSeconds, policy), () => mix.mixTea({ orderId, drinks, mixingSeconds: estimate.mixingSeconds }));
  await record.record({ type: 'RecordMixing' });
  await station(order, 'top', slaSeconds(estimate.toppingSeconds, policy), () => top.sealTop({ orderId, drinks, toppingSeconds: estimate.toppingSeconds }));
  await record.record({ type: 'RecordTopping' });
  return { kind: 'ready' };
}

/** Runs one station, publishing OrderDelayed once if it outlasts its SLA, and waiting for it either way. */
async function station<Result>(order: Order, stage: Station, sla: number, work: () => Promise<Result>): Promise<Result> {
  order.stage = stage;
  let settled = false;
  const running = work();
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  // An SLA of 0 (no grace and instant stations) means the stage has none.
  if (sla > 0 && !(await condition(() => settled, sla * 1000))) {
    log.warn('SLA breached', { alert: 'order_sla_breached', orderId: order.input.orderId, stage, slaSeconds: sla });
    await order.record.record({ type: 'RecordDelay', data: { stage, slaSeconds: sla } });
  }
  return running;
}

/** Gives back exactly what was charged, once (the refund is keyed by the order); orders from before payments were never charged. */
async function refund(order: Order): Promise<void> {
  const { orderId } = order.input;
  const ended = order.record.current;
  const due = refundDue(ended);
  if (due === null) {
    const reason = ended.cancellationReason ?? ended.failureReason ?? 'refunded';
    await CancellationScope.nonCancellable(() => payments.refundOrder({ orderId, reason }));
    await order.record.record({ type: 'RecordRefund', data: { refundId: null } });
    return;
  }
  const { refundId } = await CancellationScope.nonCancellable(() => payments.refundPayment({ orderId, ...due, currency: CURRENCY }));
  await order.record.record({ type: 'RecordRefund', data: { refundId } });
}

/** Accepts a cancellation: the stations' work stops, and the answer waits for the order's end (its refund). */
async function cancel(order: Order, request: CancelRequest): Promise<OrderState> {
  order.cancellation ??= request.reason?.trim() || 'cancelled by the customer';
  order.work.cancel();
  await condition(() => order.record.state !== undefined && FINAL_STATUSES.has(order.record.state.status));
  return order.record.current;
}

/** The update's validator: a cancellation the order's rules refuse is rejected with the rule's code; one already accepted is joined. */
function refuseCancellation(order: Order): void {
  const state = order.record.state;
  if (order.cancellation !== undefined || state === undefined) return;
  const refusal = cancelRefusal(state);
  if (refusal !== null) throw ApplicationFailure.create({ type: refusal, message: `cancellation refused: ${refusal}`, nonRetryable: true });
}

function declineReasonOf(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === PAYMENT_DECLINED) return error.cause.message;
  throw error;
}

function failureReasonOf(error: ActivityFailure): string {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.message) return cause.message;
  return cause?.message ?? error.message;
}

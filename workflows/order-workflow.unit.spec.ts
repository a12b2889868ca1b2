import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCEPT_ALL, FakePaymentProvider } from '../activities/fake-payment-provider';
import { createPaymentActivities } from '../activities/payments';
import { estimateStations } from '../contracts/station-estimate';
import type { LoggedOrderEvent } from '../contracts/upcast-steps';
import type { Drink } from '../contracts/order-input';
import { TASK_QUEUES, type Station } from '../contracts/names';
import type { OrderState } from '../contracts/order-state';
import { orderWorkflowId } from '../contracts/ids';
import { cancelOrderUpdate, getOrderQuery, type OrderPolicy, type OrderWorkflowInput } from './order-definitions';
import { orderWorkflow } from './order-workflow';
import { startTimeSkipping, type TimeSkipping } from './testing/time-skipping';

/**
 * Every path an order can take, as order-paths.int.spec.ts takes them on the real servers, here with
 * plain mock activities on Temporal's time-skipping test server: a 60 s deadline or an 8 s station passes in
 * milliseconds. Given the stations and the card, when an order runs, then it publishes exactly these events.
 */
const taro: Drink = { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' };
const plain: Drink = { tea: 'Black', sugar: 0, pearl: 'None' };
const QUICK: OrderPolicy = { stationTimeScale: 0, slaFactor: 1.5, slaGraceSeconds: 30, deadlineSeconds: 60 };

/** What each station does in a test (by default: its work at once). */
type StationScript = (station: Station, attempt: number) => Promise<void>;

let skipping: TimeSkipping;
let script: StationScript;
let events: LoggedOrderEvent[];
let attempts: Array<{ activity: string; attempt: number }>;
let payments: FakePaymentProvider;
let lostChargeAnswers: number;

async function station(name: Station): Promise<void> {
  const { attempt, activityType } = Context.current().info;
  attempts.push({ activity: activityType, attempt });
  await script(name, attempt);
}

const paymentActivities = createPaymentActivities({
  async charge(request) {
    const answer = await payments.charge(request);
    if (lostChargeAnswers > 0 && lostChargeAnswers--) throw new Error('connection reset while reading the answer');
    return answer;
  },
  refund: (request) => payments.refund(request),
});

const activities = {
  [TASK_QUEUES.orders]: {
    publishEvent: async (event: LoggedOrderEvent) => void events.push(event),
    chargeOrder: (input: Parameters<typeof paymentActivities.chargeOrder>[0]) => {
      attempts.push({ activity: 'chargeOrder', attempt: Context.current().info.attempt });
      return paymentActivities.chargeOrder(input);
    },
    refundPayment: paymentActivities.refundPayment,
    refundOrder: paymentActivities.refundOrder,
  },
  [TASK_QUEUES.label]: { printLabels: async ({ drinks }: { drinks: Drink[] }) => (await station('label'), estimateStations(drinks)) },
  [TASK_QUEUES.mix]: { mixTea: () => station('mix') },
  [TASK_QUEUES.top]: { sealTop: () => station('top') },
};

function start(drinks: Drink[], policy: Partial<OrderPolicy> = {}, customerId = 'path-tester') {
  const input: OrderWorkflowInput = { orderId: randomUUID(), customerId, drinks, policy: { ...QUICK, ...policy } };
  return skipping.env.client.workflow.start(orderWorkflow, { taskQueue: TASK_QUEUES.orders, workflowId: orderWorkflowId(input.orderId), args: [input] });
}

const typesOf = () => events.map((event) => event.type);
const dataOf = (type: string) => events.find((event) => event.type === type)?.data;

/** The order was refunded exactly what it was charged, by one refund of its one payment. */
function expectRefundedOnceAsCharged(result: OrderState): void {
  const paid = dataOf('OrderPaid') as { paymentId: string; amountCents: number };
  const refunded = dataOf('OrderRefunded') as { refundId: string; amountCents: number };
  expect(payments.refunds.filter((refund) => refund.paymentId === paid.paymentId)).toEqual([expect.objectContaining({ amountCents: paid.amountCents, refundId: refunded.refundId })]);
  expect(refunded.amountCents).toBe(paid.amountCents);
  expect(result).toMatchObject({ paidCents: paid.amountCents, refundedCents: paid.amountCents, refundId: refunded.refundId });
}

describe('orderWorkflow, with mock activities and skipped time', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    skipping = await startTimeSkipping(new URL('./index.ts', import.meta.url).pathname, activities);
  }, 60_000);
  afterAll(() => skipping?.stop());
  beforeEach(() => {
    script = async () => undefined;
    events = [];
    attempts = [];
    payments = new FakePaymentProvider({ ...ACCEPT_ALL });
    lostChargeAnswers = 0;
  });

  it('happy: placed, paid, labelled, mixed, topped, in sequence', async () => {
    const result = await (await start([taro, plain])).result();
    expect(result).toMatchObject({ status: 'ready', slaBreached: false, lastSequence: 5, totalCents: 1075, paidCents: 1075 });
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    expect(events.map((event) => [event.sequence, event.eventId])).toEqual([1, 2, 3, 4, 5].map((sequence) => [sequence, `${result.orderId}:${sequence}`]));
  });

  it('a station slower than its SLA: OrderDelayed once, then ready', async () => {
    script = async (name) => (name === 'mix' ? skipping.workFor(8000) : undefined);
    const result = await (await start([taro], { slaGraceSeconds: 4 })).result();
    expect(result).toMatchObject({ status: 'ready', slaBreached: true, delays: [{ stage: 'mix', slaSeconds: 4 }] });
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'OrderDelayed', 'TeaMixed', 'OrderTopped']);
    expect(dataOf('OrderDelayed')).toEqual({ stage: 'mix', slaSeconds: 4 });
  });

  it('not ready by the hard deadline: failed where it was, then refunded', async () => {
    script = async (name) => (name === 'mix' ? skipping.workFor(60_000) : undefined);
    const result = await (await start([taro], { deadlineSeconds: 8 })).result();
    expect(result).toMatchObject({ status: 'refunded', failureReason: 'not ready within the 8s deadline' });
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'OrderFailed', 'OrderRefunded']);
    expect(dataOf('OrderFailed')).toEqual({ stage: 'mix', reason: 'not ready within the 8s deadline' });
    expectRefundedOnceAsCharged(result);
  });

  it('an ingredient out of stock: failed for good at once, then refunded', async () => {
    script = async (name) => {
      if (name === 'top') throw ApplicationFailure.nonRetryable('top station is out of Taro', 'OutOfStock');
    };
    const result = await (await start([taro])).result();
    expect(result).toMatchObject({ status: 'refunded', failureReason: 'top station is out of Taro' });
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderFailed', 'OrderRefunded']);
    expect(dataOf('OrderFailed')).toEqual({ stage: 'top', reason: 'top station is out of Taro' });
    expect(attempts.filter((run) => run.activity === 'sealTop')).toHaveLength(1);
    expectRefundedOnceAsCharged(result);
  });

  it('a transient station failure: retried with backoff, then ready', async () => {
    script = async (name, attempt) => {
      if (name === 'mix' && attempt < 3) throw ApplicationFailure.retryable(`mix station hiccup (attempt ${attempt}), will retry`, 'StationHiccup');
    };
    const result = await (await start([plain])).result();
    expect(result.status).toBe('ready');
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    expect(attempts.filter((run) => run.activity === 'mixTea').map((run) => run.attempt)).toEqual([1, 2, 3]);
  });

  it('cancel accepted before mixing: cancelled, then refunded; cancelling twice is harmless', async () => {
    let labelling!: () => void;
    const labelStarted = new Promise<void>((resolve) => (labelling = resolve));
    script = async (name) => {
      if (name !== 'label') return;
      labelling();
      await skipping.holdUntil(new Promise(() => undefined));
    };
    const handle = await start([taro]);
    await labelStarted;
    expect((await handle.query(getOrderQuery))?.status).toBe('placed');
    const firstCancel = await handle.startUpdate(cancelOrderUpdate, { args: [{ reason: 'changed my mind' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
    const second = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'pressed twice' }] });
    const first = await firstCancel.result();
    expect(first).toMatchObject({ status: 'refunded', cancellationReason: 'changed my mind' });
    expect(second).toEqual(first);
    expect(await handle.result()).toEqual(first);
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'OrderCancelled', 'OrderRefunded']);
    expectRefundedOnceAsCharged(first);
  });

  it('cancel refused once mixing has started, and the order goes on', async () => {
    let mixing!: () => void;
    let finishMixing!: () => void;
    const mixStarted = new Promise<void>((resolve) => (mixing = resolve));
    const mixDone = new Promise<void>((resolve) => (finishMixing = resolve));
    script = async (name) => {
      if (name !== 'mix') return;
      mixing();
      await skipping.holdUntil(mixDone);
    };
    const handle = await start([taro]);
    await mixStarted;
    const refusal = await handle.executeUpdate(cancelOrderUpdate, { args: [{}] }).catch((error: unknown) => error);
    finishMixing();
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'MIXING_STARTED' });
    expect((await handle.result()).status).toBe('ready');
    expect(typesOf()).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
  });

  it('payment declined: the order ends there, nothing charged, no station begins', async () => {
    payments.rules = { ...ACCEPT_ALL, declineCustomers: ['empty-card'] };
    const result = await (await start([taro], {}, 'empty-card')).result();
    expect(result).toMatchObject({ status: 'declined', declineReason: 'the card was declined', paymentId: null, refundId: null, labelledAt: null });
    expect(typesOf()).toEqual(['OrderPlaced', 'PaymentDeclined']);
    expect(attempts.map((run) => run.activity)).toEqual(['chargeOrder']);
    expect(payments.charges).toEqual([]);
  });

  it('a charge whose answer was lost is retried with the same key and charges once', async () => {
    lostChargeAnswers = 1;
    const result = await (await start([plain, taro])).result();
    expect(result).toMatchObject({ status: 'ready', totalCents: 1075, paidCents: 1075 });
    expect(payments.charges).toEqual([expect.objectContaining({ amountCents: 1075, paymentId: result.paymentId })]);
    expect(attempts.filter((run) => run.activity === 'chargeOrder').map((run) => run.attempt)).toEqual([1, 2]);
  });
});

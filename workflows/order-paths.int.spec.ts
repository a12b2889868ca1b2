import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { ACCEPT_ALL } from '../activities/fake-payment-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Drink } from '../contracts/order-input';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import type { OrderEvent } from '../contracts/events';
import { NO_FAULTS } from '../contracts/station-faults';
import { cancelOrderUpdate, getOrderQuery } from './order-definitions';
import { startTestShop, type TestShop } from './testing/test-shop';

/**
 * Every path an order can take, each asserting the exact events it publishes, on the real Temporal dev
 * server with short settings: stations take no time unless a test injects latency, SLAs are about 1 s.
 */
const taro: Drink = { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' };
const plain: Drink = { tea: 'Black', sugar: 0, pearl: 'None' };
let shop: TestShop;
/** Orders whose events go into the archived corpus when histories are recorded (contracts/corpus/). */
const corpusOrders: string[] = [];

async function eventsOf(orderId: string) {
  return (await shop.eventsOf(orderId)).map(({ value }) => ({ sequence: value.sequence, type: value.type, data: value.data }));
}

const typesOf = (events: Array<{ type: string }>) => events.map((event) => event.type);

describe('orderWorkflow paths', () => {
  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    if (process.env.RECORD_HISTORIES === 'true' && corpusOrders.length > 0) await recordCorpus('v3');
    await shop?.stop();
  });

  beforeEach(() => {
    shop.payments.rules = { ...ACCEPT_ALL };
    shop.lostChargeAnswers.count = 0;
    for (const station of ['label', 'mix', 'top'] as const) shop.faults[station] = { ...NO_FAULTS };
    shop.dice.length = 0;
  });

  it('happy: placed, labelled, mixed, topped', async () => {
    const handle = await shop.placeOrder([taro, plain], {});
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'ready', slaBreached: false, lastSequence: 5, totalCents: 1075, paidCents: 1075 });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5]);
    corpusOrders.push(result.orderId);
    expect((await handle.describe()).searchAttributes.OrderOutcome).toEqual(['ready']);
    await shop.recordHistory(handle, 'happy');
  });

  it('delayed at the mix station, then ready', async () => {
    // Every stage gets a 4 s SLA (instant stations); only the mixer, 8 s slow, outlasts it.
    shop.faults.mix = { ...NO_FAULTS, extraLatencyMs: 8000 };
    const handle = await shop.placeOrder([taro], { slaGraceSeconds: 4 });
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'ready', slaBreached: true, delays: [{ stage: 'mix', slaSeconds: 4 }] });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'OrderDelayed', 'TeaMixed', 'OrderTopped']);
    expect(events[3]!.data).toEqual({ stage: 'mix', slaSeconds: 4 });
    const description = await handle.describe();
    expect(description.searchAttributes.SlaBreached).toEqual([true]);
    await shop.recordHistory(handle, 'delayed-then-ready');
  });

  it('failed by the hard deadline, then refunded', async () => {
    // A deadline a loaded machine still gets through labelling within, and a mix that outlasts it by far.
    shop.faults.mix = { ...NO_FAULTS, extraLatencyMs: 60_000 };
    const handle = await shop.placeOrder([taro], { slaGraceSeconds: 30, deadlineSeconds: 8 });
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'refunded', failureReason: 'not ready within the 8s deadline' });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'OrderFailed', 'OrderRefunded']);
    expect(events[3]!.data).toEqual({ stage: 'mix', reason: 'not ready within the 8s deadline' });
    await shop.recordHistory(handle, 'deadline-failed-refunded');
  });

  it('failed for good when an ingredient is out of stock, then refunded', async () => {
    shop.faults.top = { ...NO_FAULTS, outOfStock: ['Taro'] };
    const handle = await shop.placeOrder([taro], {});
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'refunded', failureReason: 'top station is out of Taro' });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderFailed', 'OrderRefunded']);
    expect(events[4]!.data).toEqual({ stage: 'top', reason: 'top station is out of Taro' });
    expectRefundedOnceAsCharged(result, events);
    corpusOrders.push(result.orderId);
    const attempts = (await handle.fetchHistory()).events!.filter((event) => event.activityTaskStartedEventAttributes).length;
    expect(attempts).toBeGreaterThan(0);
    expect((await handle.describe()).searchAttributes.OrderOutcome).toEqual(['failed']);
    await shop.recordHistory(handle, 'out-of-stock-refunded');
  });

  it('retries a transient station failure, then ready', async () => {
    shop.faults.mix = { ...NO_FAULTS, failureRate: 0.5 };
    shop.dice.push(0.1, 0.2);
    const handle = await shop.placeOrder([plain], { slaGraceSeconds: 30 });
    const result: OrderState = await handle.result();
    expect(result.status).toBe('ready');
    expect(typesOf(await eventsOf(result.orderId))).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    const mixAttempts = (await handle.fetchHistory()).events!.filter(
      (event) => event.activityTaskStartedEventAttributes && event.activityTaskStartedEventAttributes.attempt === 3,
    );
    expect(mixAttempts).toHaveLength(1);
    await shop.recordHistory(handle, 'transient-retried-ready');
  });

  it('cancel accepted before mixing: cancelled, then refunded; cancelling twice is harmless', async () => {
    shop.faults.label = { ...NO_FAULTS, extraLatencyMs: 8000 };
    const handle = await shop.placeOrder([taro], { slaGraceSeconds: 30 });
    await expect.poll(async () => (await handle.query(getOrderQuery))?.status, { timeout: 10_000 }).toBe('placed');
    const firstCancel = await handle.startUpdate(cancelOrderUpdate, { args: [{ reason: 'changed my mind' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
    const second = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'pressed twice' }] });
    const first = await firstCancel.result();
    expect(first).toMatchObject({ status: 'refunded', cancellationReason: 'changed my mind' });
    expect(second).toEqual(first);
    const result: OrderState = await handle.result();
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'OrderPaid', 'OrderCancelled', 'OrderRefunded']);
    expectRefundedOnceAsCharged(result, events);
    corpusOrders.push(result.orderId);
    expect((await handle.describe()).searchAttributes.OrderOutcome).toEqual(['cancelled']);
    await shop.recordHistory(handle, 'cancel-accepted');
  });

  it('cancel refused once mixing has started', async () => {
    shop.faults.mix = { ...NO_FAULTS, extraLatencyMs: 6000 };
    const handle = await shop.placeOrder([taro], { slaGraceSeconds: 30 });
    await expect.poll(async () => (await handle.query(getOrderQuery))?.status, { timeout: 10_000 }).toBe('labelled');
    const refusal = await handle.executeUpdate(cancelOrderUpdate, { args: [{}] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'MIXING_STARTED' });
    const result: OrderState = await handle.result();
    expect(result.status).toBe('ready');
    expect(typesOf(await eventsOf(result.orderId))).toEqual(['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    await shop.recordHistory(handle, 'cancel-refused-after-mixing');
  });
  it('payment declined: the order ends there, nothing charged, no station begins', async () => {
    shop.payments.rules = { ...ACCEPT_ALL, declineCustomers: ['empty-card'] };
    const handle = await shop.placeOrder([taro], {}, 'empty-card');
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'declined', declineReason: 'the card was declined', paymentId: null, refundId: null, labelledAt: null });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'PaymentDeclined']);
    expect(await activitiesRun(handle)).toEqual(['chargeOrder']);
    expect(shop.payments.charges.filter((charge) => charge.orderId === result.orderId)).toEqual([]);
    corpusOrders.push(result.orderId);
    expect((await handle.describe()).searchAttributes.OrderOutcome).toEqual(['declined']);
    await shop.recordHistory(handle, 'payment-declined');
  });

  it('a charge whose answer was lost is retried with the same key and charges once', async () => {
    shop.lostChargeAnswers.count = 1;
    const handle = await shop.placeOrder([plain, taro], {});
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'ready', totalCents: 1075, paidCents: 1075 });
    const charges = shop.payments.charges.filter((charge) => charge.orderId === result.orderId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ amountCents: 1075, paymentId: result.paymentId });
    const chargeAttempts = (await handle.fetchHistory()).events!.filter(
      (event) => event.activityTaskStartedEventAttributes && event.activityTaskStartedEventAttributes.attempt === 2,
    );
    expect(chargeAttempts).toHaveLength(1);
    await shop.recordHistory(handle, 'charge-retried-ready');
  });
});

/** The order was refunded exactly what it was charged, by one refund of its one payment. */
function expectRefundedOnceAsCharged(result: OrderState, events: Array<{ type: string; data: unknown }>): void {
  const paid = events.find((event) => event.type === 'OrderPaid')!.data as { paymentId: string; amountCents: number };
  const refunded = events.find((event) => event.type === 'OrderRefunded')!.data as { refundId: string; amountCents: number };
  const refunds = shop.payments.refunds.filter((refund) => refund.paymentId === paid.paymentId);
  expect(refunds).toHaveLength(1);
  expect(refunds[0]).toMatchObject({ amountCents: paid.amountCents, refundId: refunded.refundId });
  expect(refunded.amountCents).toBe(paid.amountCents);
  expect(result).toMatchObject({ paidCents: paid.amountCents, refundedCents: paid.amountCents, refundId: refunded.refundId });
}

/** The activity types the order's workflow scheduled, in order. */
async function activitiesRun(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return history.events!.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/** Writes the events of this run's orders, as published, and what they fold to: a corpus of the event versions published today. */
async function recordCorpus(version: string): Promise<void> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'contracts', 'corpus');
  const events = (await Promise.all(corpusOrders.map((orderId) => shop.eventsOf(orderId)))).flat().map(({ value }) => value);
  const folded: Record<string, OrderState> = {};
  for (const event of events as unknown as OrderEvent[]) folded[event.orderId] = evolve(folded[event.orderId], event);
  writeFileSync(path.join(dir, `order-events.${version}.json`), `${JSON.stringify(events, null, 2)}\n`);
  writeFileSync(path.join(dir, `folded.${version}.json`), `${JSON.stringify(folded, null, 2)}\n`);
}

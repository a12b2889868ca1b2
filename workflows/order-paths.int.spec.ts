import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Drink } from '../contracts/menu';
import type { OrderState } from '../contracts/order-state';
import { NO_FAULTS } from '../contracts/station-faults';
import { CANCEL_REFUSED_AFTER_MIXING, cancelOrderUpdate, getOrderQuery } from './order-definitions';
import { startTestShop, type TestShop } from './testing/test-shop';

/**
 * Every path an order can take, each asserting the exact events it publishes, on the real Temporal dev
 * server with short settings: stations take no time unless a test injects latency, SLAs are about 1 s.
 */
const taro: Drink = { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' };
const plain: Drink = { tea: 'Black', sugar: 0, pearl: 'None' };
let shop: TestShop;

async function eventsOf(orderId: string) {
  return (await shop.eventsOf(orderId)).map(({ value }) => ({ sequence: value.sequence, type: value.type, data: value.data }));
}

const typesOf = (events: Array<{ type: string }>) => events.map((event) => event.type);

describe('orderWorkflow paths', () => {
  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    await shop?.stop();
  });

  beforeEach(() => {
    for (const station of ['label', 'mix', 'top'] as const) shop.faults[station] = { ...NO_FAULTS };
    shop.dice.length = 0;
  });

  it('happy: placed, labelled, mixed, topped', async () => {
    const handle = await shop.placeOrder([taro, plain], {});
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'ready', slaBreached: false, lastSequence: 4 });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4]);
    await shop.recordHistory(handle, 'happy');
  });

  it('delayed at the mix station, then ready', async () => {
    // Every stage gets a 4 s SLA (instant stations); only the mixer, 8 s slow, outlasts it.
    shop.faults.mix = { ...NO_FAULTS, extraLatencyMs: 8000 };
    const handle = await shop.placeOrder([taro], { slaGraceSeconds: 4 });
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'ready', slaBreached: true, delays: [{ stage: 'mix', slaSeconds: 4 }] });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'CupLabelled', 'OrderDelayed', 'TeaMixed', 'OrderTopped']);
    expect(events[2]!.data).toEqual({ stage: 'mix', slaSeconds: 4 });
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
    expect(typesOf(events)).toEqual(['OrderPlaced', 'CupLabelled', 'OrderFailed', 'OrderRefunded']);
    expect(events[2]!.data).toEqual({ stage: 'mix', reason: 'not ready within the 8s deadline' });
    await shop.recordHistory(handle, 'deadline-failed-refunded');
  });

  it('failed for good when an ingredient is out of stock, then refunded', async () => {
    shop.faults.top = { ...NO_FAULTS, outOfStock: ['Taro'] };
    const handle = await shop.placeOrder([taro], {});
    const result: OrderState = await handle.result();
    expect(result).toMatchObject({ status: 'refunded', failureReason: 'top station is out of Taro' });
    const events = await eventsOf(result.orderId);
    expect(typesOf(events)).toEqual(['OrderPlaced', 'CupLabelled', 'TeaMixed', 'OrderFailed', 'OrderRefunded']);
    expect(events[3]!.data).toEqual({ stage: 'top', reason: 'top station is out of Taro' });
    const attempts = (await handle.fetchHistory()).events!.filter((event) => event.activityTaskStartedEventAttributes).length;
    expect(attempts).toBeGreaterThan(0);
    await shop.recordHistory(handle, 'out-of-stock-refunded');
  });

  it('retries a transient station failure, then ready', async () => {
    shop.faults.mix = { ...NO_FAULTS, failureRate: 0.5 };
    shop.dice.push(0.1, 0.2);
    const handle = await shop.placeOrder([plain], { slaGraceSeconds: 30 });
    const result: OrderState = await handle.result();
    expect(result.status).toBe('ready');
    expect(typesOf(await eventsOf(result.orderId))).toEqual(['OrderPlaced', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
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
    expect(typesOf(await eventsOf(result.orderId))).toEqual(['OrderPlaced', 'OrderCancelled', 'OrderRefunded']);
    await shop.recordHistory(handle, 'cancel-accepted');
  });

  it('cancel refused once mixing has started', async () => {
    shop.faults.mix = { ...NO_FAULTS, extraLatencyMs: 6000 };
    const handle = await shop.placeOrder([taro], { slaGraceSeconds: 30 });
    await expect.poll(async () => (await handle.query(getOrderQuery))?.status, { timeout: 10_000 }).toBe('labelled');
    const refusal = await handle.executeUpdate(cancelOrderUpdate, { args: [{}] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause?.message).toBe(CANCEL_REFUSED_AFTER_MIXING);
    const result: OrderState = await handle.result();
    expect(result.status).toBe('ready');
    expect(typesOf(await eventsOf(result.orderId))).toEqual(['OrderPlaced', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    await shop.recordHistory(handle, 'cancel-refused-after-mixing');
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import type { OrderEvent, OrderEventOf } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import { applyEvents } from './apply-event';
import type { ApplyOutcome } from './event-batch';
import { applyEvent } from './testing/apply-one-event';
import { eventsOf, getOrder } from './order-queries';
import { countEvents } from './testing/event-counts';
import { ALTERNATIVE_PATHS, orderHistory, orderHistoryOf } from './testing/order-event-fixtures';
import { createScratchDatabase, type ScratchDatabase } from './testing/scratch-database';

let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase(loadConfig().database.url);
});

afterAll(async () => {
  await database?.drop();
});

let nextOffset = 0;
async function apply(event: OrderEvent): Promise<ApplyOutcome> {
  const client = await database.pool.connect();
  try {
    return await applyEvent(client, event, { partition: 0, offset: String(nextOffset++) });
  } finally {
    client.release();
  }
}

function foldOf(events: OrderEvent[]): OrderState | undefined {
  return events.reduce<OrderState | undefined>(evolve, undefined);
}

describe('applyEvent', () => {
  it('applies an order history in sequence, the row always equal to the fold so far', async () => {
    const history = orderHistory(0);
    for (const [index, event] of history.entries()) {
      expect(await apply(event)).toBe('applied');
      expect(await getOrder(database.pool, event.orderId)).toEqual(foldOf(history.slice(0, index + 1)));
    }
    const stored = await eventsOf(database.pool, history[0]!.orderId);
    expect(stored.map(({ sequence, eventId, type, payload }) => ({ sequence, eventId, type, payload }))).toEqual(
      history.map((event) => ({ sequence: event.sequence, eventId: event.eventId, type: event.type, payload: event })),
    );
  });

  it.each(Object.entries(ALTERNATIVE_PATHS))('folds the path %s into the row the fold gives, step by step', async (_path, steps) => {
    const history = orderHistoryOf(7, steps);
    for (const [index, event] of history.entries()) {
      expect(await apply(event)).toBe('applied');
      expect(await getOrder(database.pool, event.orderId)).toEqual(foldOf(history.slice(0, index + 1)));
    }
    expect((await eventsOf(database.pool, history[0]!.orderId)).map((stored) => stored.payload)).toEqual(history);
  });

  it('ignores an event applied before', async () => {
    const history = orderHistory(1);
    for (const event of history.slice(0, 3)) await apply(event);
    const before = await getOrder(database.pool, history[0]!.orderId);

    expect(await apply(history[0]!)).toBe('duplicate');
    expect(await apply(history[1]!)).toBe('duplicate');

    expect(await getOrder(database.pool, history[0]!.orderId)).toEqual(before);
    expect(await countEvents(database.pool, history[0]!.orderId)).toBe(3);
  });

  it('holds back an event whose predecessor is missing, and applies it once the predecessor arrives', async () => {
    const [placed, labelled, mixed, topped] = orderHistory(2);
    const orderId = placed!.orderId;
    expect(await apply(placed!)).toBe('applied');

    expect(await apply(mixed!)).toBe('gap');
    expect(await getOrder(database.pool, orderId)).toEqual(foldOf([placed!]));
    expect(await countEvents(database.pool, orderId)).toBe(1);

    expect(await apply(labelled!)).toBe('applied');
    expect(await apply(mixed!)).toBe('applied');
    expect(await apply(topped!)).toBe('applied');
    expect(await getOrder(database.pool, orderId)).toEqual(foldOf([placed!, labelled!, mixed!, topped!]));
    expect((await eventsOf(database.pool, orderId)).map((stored) => stored.sequence)).toEqual([1, 2, 3, 4]);
  });

  it('writes nothing for an event of an order it has not seen placed', async () => {
    const [, labelled] = orderHistory(3);
    expect(await apply(labelled!)).toBe('gap');
    expect(await getOrder(database.pool, labelled!.orderId)).toBeNull();
    expect(await countEvents(database.pool, labelled!.orderId)).toBe(0);
  });

  it('applies the same OrderPlaced once when two connections race to insert it', async () => {
    const [placed] = orderHistory(4);
    const outcomes = await Promise.all([apply(placed!), apply(placed!), apply(placed!)]);
    expect(outcomes.toSorted()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await countEvents(database.pool, placed!.orderId)).toBe(1);
  });

  it('serialises concurrent events of one order on its row lock', async () => {
    const history = orderHistory(5);
    await apply(history[0]!);
    const outcomes = await Promise.all([apply(history[1]!), apply(history[1]!)]);
    expect(outcomes.toSorted()).toEqual(['applied', 'duplicate']);
    expect((await getOrder(database.pool, history[0]!.orderId))?.lastSequence).toBe(2);
  });

  it('refuses an event that breaks the sequence rules instead of waiting for it forever', async () => {
    const [placed] = orderHistory(6, { orderId: randomUUID() });
    await expect(apply({ ...placed!, sequence: 2 })).rejects.toThrow(/OrderPlaced must have sequence 1/);
    expect(await countEvents(database.pool, placed!.orderId)).toBe(0);
  });
});

describe('applyEvents', () => {
  it('applies a batch of several orders in one transaction, skipping what was applied and stopping at the first gap', async () => {
    const [first, second, third] = [orderHistory(10), orderHistory(11), orderHistory(12)];
    await apply(first[0]!);
    const batch = [first[0]!, second[0]!, first[1]!, second[1]!, second[1]!, first[2]!, third[1]!, third[0]!, first[3]!];
    const client = await database.pool.connect();
    try {
      const outcomes = await applyEvents(client, batch.map((event, index) => ({ event, position: { partition: 0, offset: String(1000 + index) } })));
      expect(outcomes).toEqual(['duplicate', 'applied', 'applied', 'applied', 'duplicate', 'applied', 'gap']);
    } finally {
      client.release();
    }
    expect(await getOrder(database.pool, first[0]!.orderId)).toEqual(foldOf(first.slice(0, 3)));
    expect(await getOrder(database.pool, second[0]!.orderId)).toEqual(foldOf(second.slice(0, 2)));
    expect(await getOrder(database.pool, third[0]!.orderId)).toBeNull();
    expect((await eventsOf(database.pool, first[0]!.orderId)).map((stored) => stored.sequence)).toEqual([1, 2, 3]);
  });

  it('writes nothing of a batch whose event cannot be stored', async () => {
    const [placed, labelled] = orderHistory(13);
    const client = await database.pool.connect();
    try {
      const unstorable = { ...placed!, data: { ...(placed as OrderEventOf<'OrderPlaced'>).data, customerId: 'nul\u0000' } } as OrderEvent;
      await expect(applyEvents(client, [{ event: unstorable, position: { partition: 0, offset: '1' } }, { event: labelled!, position: { partition: 0, offset: '2' } }])).rejects.toThrow();
    } finally {
      client.release(true);
    }
    expect(await getOrder(database.pool, placed!.orderId)).toBeNull();
    expect(await countEvents(database.pool, placed!.orderId)).toBe(0);
  });
});

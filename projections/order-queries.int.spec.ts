import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import type { OrderEvent } from '../contracts/events';
import type { OrderState } from '../contracts/order-state';
import { applyEvent } from './testing/apply-one-event';
import { UnknownCursorError, type OrderListQuery } from './order-reader';
import { getOrder, listOrders } from './order-queries';
import { ALTERNATIVE_PATHS, orderHistory, orderHistoryOf } from './testing/order-event-fixtures';
import { createScratchDatabase, type ScratchDatabase } from './testing/scratch-database';

let database: ScratchDatabase;

async function applyAll(events: OrderEvent[]): Promise<void> {
  const client = await database.pool.connect();
  try {
    for (const [offset, event] of events.entries()) await applyEvent(client, event, { partition: 0, offset: String(offset) });
  } finally {
    client.release();
  }
}

async function allPages(query: Omit<OrderListQuery, 'after'>): Promise<OrderState[][]> {
  const pages: OrderState[][] = [];
  let after: string | undefined;
  do {
    const page = await listOrders(database.pool, { ...query, after });
    pages.push(page.orders);
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return pages;
}

function newestFirst(a: OrderState, b: OrderState): number {
  return b.placedAt.localeCompare(a.placedAt) || b.orderId.localeCompare(a.orderId);
}

const sameInstant = new Date('2025-03-01T10:00:00.000Z');
// Two histories of each length so some orders stop at every status; three orders share one placedAt.
const histories = Array.from({ length: 9 }, (_, index) =>
  orderHistory(index, { customerId: index % 3 === 0 ? 'alice' : 'bob', placedAt: index < 3 ? sameInstant : undefined }).slice(0, 1 + (index % 4)),
);

beforeAll(async () => {
  database = await createScratchDatabase(loadConfig().database.url);
  await applyAll(histories.flat());
});

afterAll(async () => {
  await database?.drop();
});

describe('listOrders', () => {
  it('pages through every order, newest first, ties broken by order id, each order exactly once', async () => {
    const everyOrder = (await Promise.all(histories.map((history) => getOrder(database.pool, history[0]!.orderId)))) as OrderState[];
    const pages = await allPages({ limit: 2 });
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
    expect(pages.flat()).toEqual(everyOrder.toSorted(newestFirst));
  });

  it('filters by customer and by status', async () => {
    const alices = (await allPages({ customerId: 'alice', limit: 2 })).flat();
    expect(alices.map((order) => order.orderId).toSorted()).toEqual(
      histories.filter((_, index) => index % 3 === 0).map((history) => history[0]!.orderId).toSorted(),
    );
    const bobsReady = (await allPages({ customerId: 'bob', status: 'ready', limit: 1 })).flat();
    expect(bobsReady.every((order) => order.customerId === 'bob' && order.status === 'ready')).toBe(true);
    expect(bobsReady.map((order) => order.orderId).toSorted()).toEqual(
      histories.filter((history, index) => index % 3 !== 0 && history.length === 4).map((history) => history[0]!.orderId).toSorted(),
    );
  });

  it('returns no cursor when the page is the last one, and an empty page for no match', async () => {
    expect(await listOrders(database.pool, { limit: 100 })).toMatchObject({ nextCursor: null });
    expect(await listOrders(database.pool, { customerId: 'nobody', limit: 5 })).toEqual({ orders: [], nextCursor: null });
  });

  it('neither skips nor repeats orders placed within the same millisecond', async () => {
    const customerId = `precise-${randomUUID()}`;
    const micros = ['2025-04-01T08:00:00.123456Z', '2025-04-01T08:00:00.1234Z', '2025-04-01T08:00:00.123Z'];
    const placed = micros.map((occurredAt, index) => ({ ...orderHistory(index, { customerId })[0]!, occurredAt }));
    await applyAll(placed);
    const pages = await allPages({ customerId, limit: 1 });
    expect(pages.flat().map((order) => order.orderId)).toEqual(placed.map((event) => event.orderId));
  });

  it('filters by slaBreached, paging through the breached orders only', async () => {
    const customerId = `late-${randomUUID()}`;
    const delayed = ALTERNATIVE_PATHS['placed, labelled, delayed, mixed, ready'];
    const late = [0, 1, 2].map((index) => orderHistoryOf(index, index === 1 ? delayed.slice(0, 2) : delayed, { customerId }));
    const onTime = [3, 4].map((index) => orderHistory(index, { customerId }));
    await applyAll([...late, ...onTime].flat());
    const idsNewestFirst = (histories: OrderEvent[][]) =>
      histories.map((history) => history[0]!).toSorted((a, b) => b.occurredAt.localeCompare(a.occurredAt)).map((placed) => placed.orderId);

    const breached = await allPages({ customerId, slaBreached: true, limit: 2 });
    expect(breached.map((page) => page.length)).toEqual([2, 1]);
    expect(breached.flat().map((order) => order.orderId)).toEqual(idsNewestFirst(late));
    expect(breached.flat().every((order) => order.slaBreached && order.delays.length === 1)).toBe(true);
    expect((await allPages({ customerId, slaBreached: false, limit: 100 })).flat().map((order) => order.orderId)).toEqual(idsNewestFirst(onTime));
    expect((await allPages({ customerId, slaBreached: true, status: 'delayed', limit: 100 })).flat().map((order) => order.orderId)).toEqual([late[1]![0]!.orderId]);

    // Only this test's orders ever ran late, whoever placed them.
    expect((await allPages({ slaBreached: true, limit: 100 })).flat().map((order) => order.orderId)).toEqual(idsNewestFirst(late));
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(listOrders(database.pool, { limit: 2, after: 'not-a-cursor' })).rejects.toThrow(UnknownCursorError);
  });
});

describe('getOrder', () => {
  it('is null for an unknown order and for an id that is not a UUID', async () => {
    expect(await getOrder(database.pool, randomUUID())).toBeNull();
    expect(await getOrder(database.pool, 'order-42')).toBeNull();
  });
});

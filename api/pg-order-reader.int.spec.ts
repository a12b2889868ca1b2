import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { connectTemporal } from '../config/clients';
import { orderPlacedData, type OrderEvent } from '../contracts/events';
import { eventIdOf } from '../contracts/ids';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import { withStatusDisplay } from '../contracts/order-status-text';
import { applyEvent } from '../projections/testing/apply-one-event';
import { ALTERNATIVE_PATHS, orderHistoryOf } from '../projections/testing/order-event-fixtures';
import type { OrderPage } from '../projections/order-reader';
import { pgOrderReader } from '../projections/pg-order-reader';
import { createScratchReadModel, type ScratchReadModel } from './testing/scratch-read-model';
import { startTestApi, type TestApi } from './testing/test-api';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** The API on the real read model, read through the read-only role as in production. */

const config = loadConfig();
let readModel: ScratchReadModel;
let connection: Connection;
let api: TestApi;

/** Order `index` of five, a minute apart, alternating between two customers, taken all the way to ready. */
function orderHistory(index: number): OrderEvent[] {
  const orderId = randomUUID();
  const placedAt = Date.UTC(2025, 0, 1, 9, 0, 0) + index * 60_000;
  const envelope = (sequence: number) => ({
    eventId: eventIdOf(orderId, sequence),
    orderId,
    sequence,
    schemaVersion: 1 as const,
    occurredAt: new Date(placedAt + sequence * 1000).toISOString(),
  });
  return [
    { ...envelope(1), type: 'OrderPlaced', schemaVersion: 2, data: orderPlacedData({ customerId: `customer-${index % 2}`, drinks: [{ tea: 'Oolong', sugar: 25, pearl: 'None' }] }) },
    { ...envelope(2), type: 'CupLabelled', data: { estimate: { labelSeconds: 1, mixingSeconds: 2, toppingSeconds: 3 } } },
    { ...envelope(3), type: 'TeaMixed', data: {} },
    { ...envelope(4), type: 'OrderTopped', data: {} },
  ];
}

const histories = Array.from({ length: 5 }, (_, index) => orderHistory(index));
/** Placed after the others, and still running late: the one order the slaBreached filter finds. */
const lateHistory = orderHistoryOf(5, ALTERNATIVE_PATHS['placed, labelled, delayed, mixed, ready'].slice(0, 2), { customerId: 'customer-late' });

function finalState(events: OrderEvent[]): OrderState {
  return events.reduce<OrderState | undefined>(evolve, undefined)!;
}

async function getJson<Body>(path: string): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${api.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Body };
}

beforeAll(async () => {
  readModel = await createScratchReadModel(config.database.url);
  const writer = await readModel.writer.connect();
  try {
    let offset = 0;
    for (const event of [...histories, lateHistory].flat()) await applyEvent(writer, event, { partition: 0, offset: String(offset++) });
  } finally {
    writer.release();
  }
  connection = await connectTemporal(config);
  const temporalClient = new Client({ connection, namespace: config.temporal.namespace });
  api = await startTestApi({ temporalClient, namespace: config.temporal.namespace, orderReader: pgOrderReader(readModel.reader) });
});

afterAll(async () => {
  await api?.close();
  await connection?.close();
  await readModel?.drop();
});

describe('the API on the PostgreSQL read model', () => {
  it('GET /orders/:id answers the projected order', async () => {
    const expected = finalState(histories[0]!);
    const { status, body } = await getJson<OrderState>(`/orders/${expected.orderId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject(expected);
  });

  it('GET /orders pages through a customer’s orders, newest first, with nextCursor', async () => {
    const customerOrders = histories
      .map(finalState)
      .filter((order) => order.customerId === 'customer-0')
      .sort((a, b) => b.placedAt.localeCompare(a.placedAt))
      .map((order) => order.orderId);
    expect(customerOrders).toHaveLength(3);

    const first = await getJson<OrderPage>('/orders?customer=customer-0&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.orders.map((order) => order.orderId)).toEqual(customerOrders.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await getJson<OrderPage>(`/orders?customer=customer-0&limit=2&after=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(second.body.orders.map((order) => order.orderId)).toEqual(customerOrders.slice(2));
    expect(second.body.nextCursor).toBeNull();
  });

  it('GET /orders filters by status', async () => {
    const { body } = await getJson<OrderPage>('/orders?status=placed');
    expect(body.orders).toEqual([]);
    const ready = await getJson<OrderPage>('/orders?status=ready&limit=100');
    expect(ready.body.orders).toHaveLength(histories.length);
  });

  it('GET /orders filters by slaBreached and by the new statuses', async () => {
    const late = withStatusDisplay(finalState(lateHistory));
    expect(late).toMatchObject({ status: 'delayed', slaBreached: true, delays: [{ stage: 'mix', slaSeconds: 11 }] });
    const breached = await getJson<OrderPage>('/orders?slaBreached=true');
    expect(breached).toEqual({ status: 200, body: { orders: [late], nextCursor: null } });
    expect((await getJson<OrderPage>('/orders?status=delayed')).body.orders).toEqual([late]);

    const onTime = await getJson<OrderPage>('/orders?slaBreached=false&limit=100');
    expect(onTime.body.orders.map((order) => order.orderId).toSorted()).toEqual(histories.map((history) => history[0]!.orderId).toSorted());
    expect((await getJson<OrderPage>('/orders?status=refunded')).body.orders).toEqual([]);
  });

  it('answers 400 for a cursor the API did not issue', async () => {
    const { status, body } = await getJson('/orders?after=not-a-cursor');
    expect(status).toBe(400);
    expect(body).toEqual({ message: 'Invalid query', errors: [{ field: 'after', message: 'is not a cursor returned by this API' }] });
  });
});

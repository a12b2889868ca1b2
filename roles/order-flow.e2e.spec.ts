import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import type { PlaceOrder } from '../contracts/order-input';
import type { OrderState } from '../contracts/order-state';
import { eventsOf } from '../projections/order-queries';
import { publishedEventsOf } from '../activities/testing/order-events-in-kafka';
import { startWholeShop, type WholeShop } from './testing/whole-shop';
import { operatorFetch } from '../api/testing/sessions';
import { SAMPLE_DRINKS } from '../contracts/testing/sample-drinks';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** The whole system in this process, on the real local stack: API, orchestrator, three stations, projector. */
let shop: WholeShop;
let config: AppConfig;
let pool: pg.Pool;
let api: string;

const threeDrinks: PlaceOrder = { customerId: 'e2e-alice', drinks: [...SAMPLE_DRINKS] };
const EXPECTED_TYPES = ['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped'];

async function placeOrder(body: PlaceOrder, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  const { orderId } = (await response.json()) as { orderId: string };
  expect(response.headers.get('location')).toBe(`/orders/${orderId}`);
  return orderId;
}

async function readOrder(orderId: string): Promise<OrderState & { links?: unknown }> {
  const response = await fetch(`${api}/orders/${orderId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as OrderState;
}

async function untilReady(orderId: string): Promise<OrderState> {
  await expect.poll(async () => (await readOrder(orderId)).status, { timeout: 60_000, interval: 200 }).toBe('ready');
  await expect.poll(async () => (await eventsOf(pool, orderId)).length, { timeout: 30_000, interval: 200 }).toBe(EXPECTED_TYPES.length);
  return readOrder(orderId);
}

describe('the order flow end to end', () => {
  beforeAll(async () => {
    // A generous SLA: on a loaded machine instant stations can still take seconds, and this is the on-time path.
    shop = await startWholeShop('e2e-order-flow', { STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '120' });
    ({ config, api } = shop);
    pool = createPgPool(config.database.url, shop.logger);
  });

  afterAll(async () => {
    await shop?.stop();
    await pool?.end();
  });

  it('takes an order of 3 drinks to ready; Kafka and order_events hold exactly its events, in order, on one partition', async () => {
    const orderId = await placeOrder(threeDrinks);
    const order = await untilReady(orderId);
    expect(order).toMatchObject({ orderId, customerId: 'e2e-alice', status: 'ready', lastSequence: EXPECTED_TYPES.length, drinks: threeDrinks.drinks });
    for (const stage of ['placedAt', 'labelledAt', 'mixedAt', 'readyAt'] as const) expect(Date.parse(order[stage]!)).not.toBeNaN();
    expect(Date.parse(order.placedAt) <= Date.parse(order.labelledAt!) && Date.parse(order.labelledAt!) <= Date.parse(order.mixedAt!)).toBe(true);
    expect(Date.parse(order.mixedAt!)).toBeLessThanOrEqual(Date.parse(order.readyAt!));

    const published = await publishedEventsOf(createKafka(config), new Set([orderId]));
    expect(published.map((event) => event.value.type)).toEqual(EXPECTED_TYPES);
    expect(published.map((event) => event.value.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(published.map((event) => event.partition)).size).toBe(1);

    const stored = await eventsOf(pool, orderId);
    expect(stored.map((event) => [event.sequence, event.type, event.eventId])).toEqual(
      published.map((event) => [event.value.sequence, event.value.type, event.value.eventId]),
    );
  });

  it('brings 50 concurrent orders to ready, with a read model that matches the events', async () => {
    const orders = Array.from({ length: 50 }, (_, index) => ({
      customerId: `e2e-crowd-${index % 7}`,
      drinks: threeDrinks.drinks.slice(0, 1 + (index % 3)),
    }));
    const orderIds = await Promise.all(orders.map((order) => placeOrder(order)));
    expect(new Set(orderIds).size).toBe(50);
    const finished = await Promise.all(orderIds.map((orderId) => untilReady(orderId)));
    finished.forEach((order, index) => expect(order).toMatchObject({ status: 'ready', customerId: orders[index]!.customerId, drinks: orders[index]!.drinks }));

    const published = await publishedEventsOf(createKafka(config), new Set(orderIds));
    expect(published).toHaveLength(50 * EXPECTED_TYPES.length);
    for (const orderId of orderIds) {
      const ofOrder = published.filter((event) => event.key === orderId);
      expect(ofOrder.map((event) => event.value.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(ofOrder.map((event) => event.partition)).size).toBe(1);
      const stored = await eventsOf(pool, orderId);
      expect(stored.map((event) => event.eventId)).toEqual(ofOrder.map((event) => event.value.eventId));
    }
    expect(new Set(published.map((event) => event.partition)).size).toBeGreaterThan(1);
  });

  it('turns the same POST twice with one Idempotency-Key into one order and one workflow', async () => {
    const key = `e2e-${Date.now()}-${Math.random()}`;
    const [first, second] = [await placeOrder(threeDrinks, { 'Idempotency-Key': key }), await placeOrder(threeDrinks, { 'Idempotency-Key': key })];
    expect(second).toBe(first);
    await untilReady(first);

    const connection = await Connection.connect({ address: config.temporal.address });
    const client = new Client({ connection, namespace: config.temporal.namespace });
    await expect.poll(async () => (await client.workflow.count(`WorkflowId = "order-${first}"`)).count, { timeout: 15_000 }).toBe(1);
    await connection.close();
    const { rows } = await pool.query('select count(*)::int as count from orders where order_id = $1', [first]);
    expect(rows[0].count).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/app-config';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { connectTemporal } from '../config/clients';
import { isOrderId, orderWorkflowId } from '../contracts/ids';
import type { PlaceOrder } from '../contracts/order-input';
import { SAMPLE_DRINKS } from '../contracts/testing/sample-drinks';
import { ORDER_STATUS_NAMES } from '../contracts/order-state';
import { TASK_QUEUES } from '../contracts/names';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { ORDER_WORKFLOW_TYPE } from '../workflows/order-definitions';
import { orderIdForIdempotencyKey } from './idempotency-key';
import type { OrderView } from './order-view';
import { runsOfOrder, terminateOrders } from './testing/temporal-orders';
import { startTestApi, TEST_ORDER_POLICY, type TestApi } from './testing/test-api';
import { readOrderWorkflowStart } from './order-workflow-start-event';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** Placing and reading orders against the local stack's real Temporal server; no worker is needed. */

// A namespace of the API tests' own: the shop's workers (other tests run them) never take these orders.
const config = loadConfig({ ...process.env, TEMPORAL_NAMESPACE: TEST_NAMESPACES.api });
const placedOrders = new Set<string>();
let connection: Connection;
let client: Client;
let api: TestApi;

const ORDER: PlaceOrder = { customerId: 'api-test', drinks: SAMPLE_DRINKS.slice(0, 2) };

async function placeOrder(body: unknown, idempotencyKey?: string, through: TestApi = api) {
  const response = await fetch(`${through.baseUrl}/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey }) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { orderId?: string; message?: string };
  if (json.orderId) placedOrders.add(json.orderId);
  return { response, json };
}

/** Visibility is eventually consistent: wait until the run shows up, then there must be exactly one. */
async function expectExactlyOneRun(orderId: string): Promise<void> {
  await vi.waitFor(async () => expect((await runsOfOrder(client, orderId)).length).toBeGreaterThan(0), { timeout: 10_000, interval: 200 });
  expect(await runsOfOrder(client, orderId)).toHaveLength(1);
}

beforeAll(async () => {
  connection = await connectTemporal(config);
  client = new Client({ connection, namespace: config.temporal.namespace });
  api = await startTestApi({ temporalClient: client, namespace: config.temporal.namespace, temporalUiUrl: config.temporal.uiUrl });
});

afterAll(async () => {
  if (client) await terminateOrders(client, placedOrders);
  await api?.close();
  await connection?.close();
});

describe('POST /orders', () => {
  it('starts the order workflow and answers 202 with the order id and where to watch it', async () => {
    const { response, json } = await placeOrder(ORDER);

    expect(response.status).toBe(202);
    const orderId = json.orderId!;
    expect(isOrderId(orderId)).toBe(true);
    expect(json).toEqual({ orderId, status: 'placed', links: { self: `/orders/${orderId}` } });
    expect(response.headers.get('location')).toBe(`/orders/${orderId}`);

    const description = await client.workflow.getHandle(orderWorkflowId(orderId)).describe();
    expect(description.type).toBe(ORDER_WORKFLOW_TYPE);
    expect(description.taskQueue).toBe(TASK_QUEUES.orders);
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.CustomerId)).toBe('api-test');
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.DrinkCount)).toBe(2);
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.OrderStatus)).toBe('placed');

    const { input } = await readOrderWorkflowStart(client, orderWorkflowId(orderId));
    expect(input).toEqual({ orderId, ...ORDER, policy: TEST_ORDER_POLICY });
  });

  it('gives each order without an Idempotency-Key its own id', async () => {
    const first = await placeOrder(ORDER);
    const second = await placeOrder(ORDER);
    expect(first.json.orderId).not.toBe(second.json.orderId);
  });

  it('maps two POSTs with one Idempotency-Key to the same order and exactly one workflow run', async () => {
    const key = `api-test-${randomUUID()}`;
    const first = await placeOrder(ORDER, key);
    const second = await placeOrder(ORDER, key);

    expect([first.response.status, second.response.status]).toEqual([202, 202]);
    expect(first.json.orderId).toBe(orderIdForIdempotencyKey(key));
    expect(second.json).toEqual(first.json);
    expect(second.response.headers.get('location')).toBe(first.response.headers.get('location'));
    await expectExactlyOneRun(first.json.orderId!);
  });

  it('keeps one run when the same key arrives several times at once', async () => {
    const key = `api-test-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => placeOrder(ORDER, key)));

    expect(answers.map(({ response }) => response.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map(({ json }) => json.orderId))).toEqual(new Set([orderIdForIdempotencyKey(key)]));
    await expectExactlyOneRun(orderIdForIdempotencyKey(key));
  });

  it('answers 422 when a key is reused for a different order, and starts nothing new', async () => {
    const key = `api-test-${randomUUID()}`;
    const first = await placeOrder(ORDER, key);
    expect(first.response.status).toBe(202);

    const otherCustomer = await placeOrder({ ...ORDER, customerId: 'someone-else' }, key);
    const otherDrinks = await placeOrder({ ...ORDER, drinks: [{ ...ORDER.drinks[0]!, sugar: 100 }] }, key);
    for (const { response, json } of [otherCustomer, otherDrinks]) {
      expect(response.status).toBe(422);
      expect(json).toEqual({ message: 'This Idempotency-Key was already used for a different order; use a new key for a new order' });
    }
    await expectExactlyOneRun(first.json.orderId!);
  });

  it('treats a retry as the same order when only the shop’s policy changed in between', async () => {
    const key = `api-test-${randomUUID()}`;
    const first = await placeOrder(ORDER, key);
    const stricterShop = await startTestApi({ temporalClient: client, orderPolicy: { ...TEST_ORDER_POLICY, slaFactor: 1.1, deadlineSeconds: 300 } });
    try {
      const retry = await placeOrder(ORDER, key, stricterShop);
      expect(retry.response.status).toBe(202);
      expect(retry.json.orderId).toBe(first.json.orderId);
      const different = await placeOrder({ ...ORDER, customerId: 'someone-else' }, key, stricterShop);
      expect(different.response.status).toBe(422);
    } finally {
      await stricterShop.close();
    }
    // The order keeps the policy it was placed with.
    expect((await readOrderWorkflowStart(client, orderWorkflowId(first.json.orderId!))).input.policy).toEqual(TEST_ORDER_POLICY);
    await expectExactlyOneRun(first.json.orderId!);
  });

  it('treats the same drinks in a differently written body as the same order', async () => {
    const key = `api-test-${randomUUID()}`;
    const first = await placeOrder(ORDER, key);
    const reordered = { drinks: ORDER.drinks.map((drink) => Object.fromEntries(Object.entries(drink).reverse())), customerId: ORDER.customerId };
    const retry = await placeOrder(reordered, key);
    expect(retry.response.status).toBe(202);
    expect(retry.json.orderId).toBe(first.json.orderId);
  });

  it('does not place the order again when the key is retried after its workflow has closed, and answers with the order as it is', async () => {
    const key = `api-test-${randomUUID()}`;
    const { json } = await placeOrder(ORDER, key);
    await client.workflow.getHandle(orderWorkflowId(json.orderId!)).terminate('closed before the retry');

    const retry = await placeOrder(ORDER, key);
    expect(retry.response.status).toBe(200);
    expect(retry.response.headers.get('location')).toBe(`/orders/${json.orderId}`);
    expect(retry.json).toMatchObject({ orderId: json.orderId, customerId: ORDER.customerId, drinks: ORDER.drinks, status: 'placed' });
    const different = await placeOrder({ ...ORDER, customerId: 'someone-else' }, key);
    expect(different.response.status).toBe(422);
    await expectExactlyOneRun(json.orderId!);
  });
});

describe('GET /orders/:id', () => {
  it('answers an order the read model does not have yet from its workflow, never 404 after 202', async () => {
    const { json } = await placeOrder(ORDER);
    const orderId = json.orderId!;

    const response = await fetch(`${api.baseUrl}/orders/${orderId}`);
    expect(response.status).toBe(200);
    const order = (await response.json()) as OrderView;
    expect(order).toMatchObject({ orderId, customerId: ORDER.customerId, drinks: ORDER.drinks });
    // Without a worker the order is still as placed; another suite's worker may have moved it on.
    expect(ORDER_STATUS_NAMES).toContain(order.status);
    expect(Date.parse(order.placedAt)).not.toBeNaN();
    expect(order.links).toEqual({
      self: `/orders/${orderId}`,
      workflow: `${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows/order-${orderId}`,
    });

    const upperCase = await fetch(`${api.baseUrl}/orders/${orderId.toUpperCase()}`);
    expect(upperCase.status).toBe(200);
    expect(((await upperCase.json()) as OrderView).orderId).toBe(orderId);
  });

  it('answers 404 for an order id no workflow has', async () => {
    const orderId = randomUUID();
    const response = await fetch(`${api.baseUrl}/orders/${orderId}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: `Order ${orderId} not found` });
  });
});

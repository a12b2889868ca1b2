import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { connectTemporal } from '../config/clients';
import { orderWorkflowId } from '../contracts/ids';
import type { PlaceOrder } from '../contracts/order-input';
import type { OrderState } from '../contracts/order-state';
import { ORDER_STATUS_TEXT } from '../contracts/order-status-text';
import { createLogger } from '../roles/logger';
import { installRuntimeLoggingTo } from '../workflows/testing/sdk-log-to-file';
import { startOrchestrator } from '../roles/orchestrator';
import type { RunningRole } from '../roles/running-role';
import { startStation } from '../roles/station';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { getOrderQuery, type OrderWorkflowInput } from '../workflows/order-definitions';
import { orderWorkflow } from '../workflows/order-workflow';
import { CANCEL_REFUSED_AFTER_MIXING } from './order-cancellation';
import { orderViewSchema } from './order-view';
import { terminateOrders } from './testing/temporal-orders';
import { startTestApi, TEST_ORDER_POLICY, type TestApi } from './testing/test-api';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * `POST /orders/:id/cancel` on the real Temporal server. A closed or stuck workflow needs no worker; an update
 * is only accepted or refused by a worker, so the orchestrator (and, to get an order into mixing, the label
 * station) run in this process as the roles run them, in a namespace of this test's own.
 */

/** This customer's every charge is declined; each charge takes a moment, so a cancellation can arrive while it is taken. */
const DECLINED_CUSTOMER = 'cancel-test-declined';
const PAYMENT_LATENCY_MS = 1500;
const config = loadConfig({
  ...process.env,
  TEMPORAL_NAMESPACE: TEST_NAMESPACES.api,
  PAYMENT_DECLINE_CUSTOMERS: DECLINED_CUSTOMER,
  PAYMENT_LATENCY_MS: String(PAYMENT_LATENCY_MS),
});
// Quiet unless asked (LOG_LEVEL): the tests provoke the warnings the roles log; the SDK's own log goes to test-results/.
const logger = createLogger('cancel-order-test');
logger.level = process.env.LOG_LEVEL ?? 'silent';
const roles: RunningRole[] = [];
const placedOrders = new Set<string>();
let connection: Connection;
let client: Client;
let api: TestApi;

const ORDER: PlaceOrder = { customerId: 'cancel-test', drinks: [{ tea: 'Oolong', sugar: 25, pearl: 'Aloe Vera', topping: 'Strawberry' }] };

async function placeOrder(order: PlaceOrder = ORDER): Promise<string> {
  const response = await fetch(`${api.baseUrl}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order) });
  expect(response.status).toBe(202);
  const { orderId } = (await response.json()) as { orderId: string };
  placedOrders.add(orderId);
  return orderId;
}

async function cancel(orderId: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${api.baseUrl}/orders/${orderId}/cancel`, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function expectCancelledAndRefunded(json: Record<string, unknown>, orderId: string, reason: string): void {
  expect(orderViewSchema.safeParse(json).error).toBeUndefined();
  expect(json).toMatchObject({
    orderId,
    ...ORDER,
    status: 'refunded',
    statusCode: ORDER_STATUS_TEXT.refunded.code,
    cancellationReason: reason,
    failedAt: null,
    failureReason: null,
    mixedAt: null,
    readyAt: null,
    links: { self: `/orders/${orderId}` },
  });
  expect(Date.parse(json.cancelledAt as string)).toBeLessThanOrEqual(Date.parse(json.refundedAt as string));
}

beforeAll(async () => {
  installRuntimeLoggingTo('cancel-order-tests');
  connection = await connectTemporal(config);
  client = new Client({ connection, namespace: config.temporal.namespace });
  api = await startTestApi({ temporalClient: client, namespace: config.temporal.namespace });
  // Events of these orders go to a topic of their own, so the shop's read model never sees them.
  const topics = { orderEvents: `cancel-test.${randomUUID()}`, deadLetter: `cancel-test.dead-letter.${randomUUID()}` };
  roles.push(await startOrchestrator(config, logger, topics));
});

afterAll(async () => {
  if (client) await terminateOrders(client, placedOrders);
  for (const role of roles.reverse()) await role.stop();
  await api?.close();
  await connection?.close();
});

describe('POST /orders/:id/cancel when the workflow cannot take the update', () => {
  it('answers 409 naming how the workflow ended, once it has closed', async () => {
    const orderId = await placeOrder();
    await client.workflow.getHandle(orderWorkflowId(orderId)).terminate('closed before the cancellation');

    const { status, json } = await cancel(orderId, { reason: 'too late?' });
    expect(status).toBe(409);
    expect(json).toEqual({ message: `Order ${orderId} is already terminated, it can no longer be cancelled` });
  });

  it('answers a retryable 503 when no worker takes the update within the deadline', { timeout: 90_000 }, async () => {
    const orderId = randomUUID();
    const input: OrderWorkflowInput = { orderId, ...ORDER, policy: TEST_ORDER_POLICY };
    // A task queue nobody polls: the update can never be accepted.
    await client.workflow.start(orderWorkflow, { workflowId: orderWorkflowId(orderId), taskQueue: `api-test.unpolled.${randomUUID()}`, args: [input] });
    placedOrders.add(orderId);

    const started = Date.now();
    const { status, json } = await cancel(orderId);
    expect(status).toBe(503);
    expect(json).toEqual({ message: 'The cancellation was not confirmed in time; please retry shortly, cancelling twice is harmless' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});

describe('POST /orders/:id/cancel with the orchestrator running the order', () => {
  it('cancels an order waiting for its labels: 200 with the order cancelled and refunded, and 200 again when asked twice', async () => {
    const orderId = await placeOrder();

    const { status, json } = await cancel(orderId, { reason: '  found a shorter queue ' });
    expect(status).toBe(200);
    expectCancelledAndRefunded(json, orderId, 'found a shorter queue');

    const final = (await client.workflow.getHandle(orderWorkflowId(orderId)).result()) as OrderState;
    expect(final).toMatchObject({ status: 'refunded', cancellationReason: 'found a shorter queue' });
    // Cancelling twice is harmless: the second answer is the cancelled order again, with the first reason.
    const again = await cancel(orderId, { reason: 'just to be sure' });
    expect(again.status).toBe(200);
    expectCancelledAndRefunded(again.json, orderId, 'found a shorter queue');
  });

  it('cancels without a body, with the default reason', async () => {
    const orderId = await placeOrder();
    const { status, json } = await cancel(orderId);
    expect(status).toBe(200);
    expectCancelledAndRefunded(json, orderId, 'cancelled by the customer');
  });

  it('cancels while the payment is being taken: no station begins and what was charged is refunded', async () => {
    const orderId = await placeOrder();
    const handle = client.workflow.getHandle(orderWorkflowId(orderId));
    await expect.poll(async () => (await handle.query(getOrderQuery))?.status, { timeout: 10_000, interval: 50 }).toBe('placed');
    expect((await handle.query(getOrderQuery))?.paymentId, 'the charge is still under way').toBeNull();

    const { status, json } = await cancel(orderId, { reason: 'wrong drink' });
    expect(status).toBe(200);
    expectCancelledAndRefunded(json, orderId, 'wrong drink');
    expect(json).toMatchObject({ labelledAt: null, refundedCents: json.paidCents });
    expect(json.paidCents).toBeGreaterThan(0);
  });

  it('answers 409 to a cancellation that meets a declined payment, as for any order that is over, and 409 again afterwards', async () => {
    const orderId = await placeOrder({ ...ORDER, customerId: DECLINED_CUSTOMER });
    // Asked while the charge is under way: the workflow takes the request, then the charge is declined.
    const during = await cancel(orderId, { reason: 'changed my mind' });
    expect(during).toEqual({ status: 409, json: { message: `Order ${orderId} is already declined, it can no longer be cancelled` } });

    const final = (await client.workflow.getHandle(orderWorkflowId(orderId)).result()) as OrderState;
    expect(final).toMatchObject({ status: 'declined', cancelledAt: null, paymentId: null });
    const after = await cancel(orderId);
    expect(after).toEqual(during);
  });

  it('refuses once mixing has started: 409 with the workflow’s reason, and the order goes on', async () => {
    roles.push(await startStation('label', config, logger, 0));
    const orderId = await placeOrder();
    const handle = client.workflow.getHandle(orderWorkflowId(orderId));
    // No mix station runs here, so once labelled the order stays in mixing.
    await expect.poll(async () => (await handle.query(getOrderQuery))?.status, { timeout: 30_000, interval: 200 }).toBe('labelled');

    const { status, json } = await cancel(orderId, { reason: 'changed my mind' });
    expect(status).toBe(409);
    expect(json).toEqual({ message: CANCEL_REFUSED_AFTER_MIXING });
    expect(await handle.query(getOrderQuery)).toMatchObject({ status: 'labelled', cancelledAt: null, cancellationReason: null });
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });
});

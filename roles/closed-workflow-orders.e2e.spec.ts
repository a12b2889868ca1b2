import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createPgPool } from '../config/clients';
import { eventIdOf, orderWorkflowId } from '../contracts/ids';
import type { Drink } from '../contracts/order-input';
import type { OrderState } from '../contracts/order-state';
import { NO_FAULTS } from '../contracts/station-faults';
import { eventsOf, getOrder } from '../projections/order-queries';
import { type OrderWorkflowInput } from '../workflows/order-definitions';
import { orderWorkflow } from '../workflows/order-workflow';
import { publishedEventsOf } from '../activities/testing/order-events-in-kafka';
import { startWholeShop, type WholeShop } from './testing/whole-shop';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * Order workflows closed from outside (an operator's terminate), on the whole system: the reconciler ends
 * their orders in the read model with the reason, numbering its events after the workflow's own.
 */
let shop: WholeShop;
let pool: pg.Pool;
let connection: Connection;
let client: Client;
const drinks: Drink[] = [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }];
const UNTIL_CLOSED = { timeout: 60_000, interval: 250 };

function postOrder(idempotencyKey: string): Promise<Response> {
  return fetch(`${shop.api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify({ customerId: 'e2e-terminated', drinks }),
  });
}

const statusOf = async (orderId: string) => (await getOrder(pool, orderId))?.status;

async function appliedEvents(orderId: string) {
  return (await eventsOf(pool, orderId)).map((event) => ({ sequence: event.sequence, type: event.type, eventId: event.eventId }));
}

describe('orders whose workflow was closed from outside', () => {
  beforeAll(async () => {
    shop = await startWholeShop('e2e-closed-workflows', { STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '300', RECONCILE_INTERVAL_SECONDS: '1' });
    pool = createPgPool(shop.config.database.url, shop.logger);
    connection = await Connection.connect({ address: shop.config.temporal.address });
    client = new Client({ connection, namespace: shop.config.temporal.namespace });
    // Orders wait at the mixer until the test closes their workflow.
    await shop.setFaults('mix', { extraLatencyMs: 120_000 });
  });

  afterAll(async () => {
    await shop?.setFaults('mix', NO_FAULTS);
    await shop?.stop();
    await connection?.close();
    await pool?.end();
  });

  it('ends a terminated order as failed with the reason, then refunded; a retry of its POST answers that', async () => {
    const key = `e2e-terminated-${randomUUID()}`;
    const placed = await postOrder(key);
    expect(placed.status).toBe(202);
    const { orderId } = (await placed.json()) as { orderId: string };
    await expect.poll(() => statusOf(orderId), UNTIL_CLOSED).toBe('labelled');

    await client.workflow.getHandle(orderWorkflowId(orderId)).terminate('stuck at the mixer');

    await expect.poll(() => statusOf(orderId), UNTIL_CLOSED).toBe('refunded');
    const reason = "the order's workflow was terminated: stuck at the mixer";
    const order = await getOrder(pool, orderId);
    // Paid before labelling, so the reconciler refunds what was paid.
    expect(order).toMatchObject({ failureReason: reason, lastSequence: 5, refundedCents: order?.paidCents });
    expect(order?.refundId).toMatch(/^re_/);
    expect(await appliedEvents(orderId)).toEqual(
      ['OrderPlaced', 'OrderPaid', 'CupLabelled', 'OrderFailed', 'OrderRefunded'].map((type, index) => ({ sequence: index + 1, type, eventId: eventIdOf(orderId, index + 1) })),
    );
    const published = await publishedEventsOf(createKafka(shop.config), new Set([orderId]));
    expect(published.map((event) => event.value.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(published[3]!.value.data).toEqual({ stage: 'mix', reason });

    const retried = await postOrder(key);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ orderId, status: 'refunded', failureReason: reason });
  });

  it('places, fails and refunds the order of a workflow terminated before it ever ran', async () => {
    const input: OrderWorkflowInput = { orderId: randomUUID(), customerId: 'e2e-never-ran', drinks, policy: shop.config.orderPolicy };
    // No worker polls this queue: the workflow exists, but never publishes anything.
    const handle = await client.workflow.start(orderWorkflow, { taskQueue: `nobody-polls-${randomUUID()}`, workflowId: orderWorkflowId(input.orderId), args: [input] });
    await handle.terminate('placed by mistake');

    await expect.poll(() => statusOf(input.orderId), UNTIL_CLOSED).toBe('refunded');
    expect((await appliedEvents(input.orderId)).map((event) => event.type)).toEqual(['OrderPlaced', 'OrderFailed', 'OrderRefunded']);
    expect(await getOrder(pool, input.orderId)).toMatchObject({ customerId: 'e2e-never-ran', drinks, failureReason: "the order's workflow was terminated: placed by mistake" } satisfies Partial<OrderState>);
  });
});

import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { connectTemporal, createKafka } from '../config/clients';
import { orderWorkflowId } from '../contracts/ids';
import { createLogger, routeTemporalLogs } from '../roles/logger';
import { startOrchestrator } from '../roles/orchestrator';
import type { RunningRole } from '../roles/running-role';
import { publishedEventsOf } from '../roles/testing/order-events-in-kafka';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { getOrderQuery } from '../workflows/order-definitions';
import type { ApiErrorBody } from './api-error';
import { pgOrderReader } from '../projections/pg-order-reader';
import { createScratchReadModel, type ScratchReadModel } from './testing/scratch-read-model';
import { terminateOrders } from './testing/temporal-orders';
import { startTestApi, type TestApi } from './testing/test-api';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * Text that PostgreSQL cannot store (U+0000, a lone surrogate) is refused with a 400 naming the field, before
 * it reaches the order's workflow, Kafka or the read model: one such cancellation reason used to be accepted
 * and then stop the projector's partition for good, and one such filter used to answer 500.
 */

const config = loadConfig({ ...process.env, TEMPORAL_NAMESPACE: TEST_NAMESPACES.api });
const logger = createLogger('unstorable-input-test');
logger.level = 'warn';
const topics = { orderEvents: `unstorable-test.${randomUUID()}`, deadLetter: `unstorable-test.dead-letter.${randomUUID()}` };
const placedOrders = new Set<string>();
let orchestrator: RunningRole;
let readModel: ScratchReadModel;
let connection: Connection;
let client: Client;
let api: TestApi;

async function post(path: string, body: unknown): Promise<{ status: number; json: ApiErrorBody & Record<string, unknown> }> {
  const response = await fetch(`${api.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as ApiErrorBody & Record<string, unknown> };
}

async function get(path: string): Promise<{ status: number; json: ApiErrorBody }> {
  const response = await fetch(`${api.baseUrl}${path}`);
  return { status: response.status, json: (await response.json()) as ApiErrorBody };
}

const refused = (field: string, character: string) => ({ field, message: expect.stringContaining(`must not contain ${character}`), code: expect.any(String) });

beforeAll(async () => {
  routeTemporalLogs(logger);
  readModel = await createScratchReadModel(config.database.url);
  connection = await connectTemporal(config);
  client = new Client({ connection, namespace: config.temporal.namespace });
  api = await startTestApi({ temporalClient: client, namespace: config.temporal.namespace, orderReader: pgOrderReader(readModel.reader) });
  orchestrator = await startOrchestrator(config, logger, topics);
});

afterAll(async () => {
  if (client) await terminateOrders(client, placedOrders);
  await orchestrator?.stop();
  await api?.close();
  await connection?.close();
  await readModel?.drop();
});

describe('input that cannot be stored', () => {
  it('refuses a cancellation reason with U+0000 or a lone surrogate: the workflow never sees it and Kafka never carries it', async () => {
    const placed = await post('/orders', { customerId: 'unstorable-test', drinks: [{ tea: 'Black', sugar: 0, pearl: 'None' }] });
    expect(placed.status).toBe(202);
    const orderId = placed.json.orderId as string;
    placedOrders.add(orderId);

    for (const [reason, character] of [['a\u0000b', 'U+0000'], ['tea \ud83e', 'U+D83E']] as const) {
      const answer = await post(`/orders/${orderId}/cancel`, { reason });
      expect(answer).toEqual({ status: 400, json: { message: 'Invalid cancellation', errors: [refused('reason', character)] } });
    }
    const handle = client.workflow.getHandle(orderWorkflowId(orderId));
    await expect.poll(() => handle.query(getOrderQuery), { timeout: 15_000 }).toMatchObject({ status: 'placed', cancelledAt: null });

    // A storable reason still cancels: the one reason the workflow took and published is that one.
    const cancelled = await post(`/orders/${orderId}/cancel`, { reason: 'changed my mind' });
    expect(cancelled).toMatchObject({ status: 200, json: { status: 'refunded', cancellationReason: 'changed my mind' } });
    const history = await handle.fetchHistory();
    expect(history.events!.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
    const published = await publishedEventsOf(createKafka(config), new Set([orderId]), topics.orderEvents);
    expect(published.map((event) => [event.value.type, event.value.data.reason])).toEqual([
      ['OrderPlaced', undefined],
      ['OrderPaid', undefined],
      ['OrderCancelled', 'changed my mind'],
      ['OrderRefunded', 'changed my mind'],
    ]);
  });

  it('refuses a list filter with U+0000 with a 400 naming it, where the read model answered 500', async () => {
    expect(await get('/orders?customer=a%00b')).toEqual({ status: 400, json: { message: 'Invalid query', errors: [refused('customer', 'U+0000')] } });
    expect(await get('/orders?after=%00')).toEqual({ status: 400, json: { message: 'Invalid query', errors: [refused('after', 'U+0000')] } });
    expect((await get('/orders?customer=unstorable-test')).status).toBe(200);
  });

  it('refuses an order id in the path with U+0000 with a 400 naming it, whatever the route', async () => {
    for (const path of ['/orders/a%00b', '/orders/a%00b/stream']) {
      expect(await get(path)).toEqual({ status: 400, json: { message: 'Invalid path', errors: [refused('id', 'U+0000')] } });
    }
    expect(await post('/orders/a%00b/cancel', {})).toEqual({ status: 400, json: { message: 'Invalid path', errors: [refused('id', 'U+0000')] } });
  });
});

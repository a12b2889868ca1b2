import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CURRENCY, MENU, PRICES_CENTS, SUGAR_LABELS } from '../contracts/menu';
import type { Shortage } from '../contracts/stock';
import { ORDER_STATUS_NAMES, ORDER_STATUSES, placedOrderState, type OrderState } from '../contracts/order-state';
import type { ReadinessChecks } from './api-deps';
import { buildOpenApiDocument } from './openapi';
import { InMemoryOrderReader } from './testing/in-memory-order-reader';
import { startTestApi, type TestApi } from './testing/test-api';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** The parts of the API that need no server: a lazy Temporal connection that is never used stands in. */

const READY_ORDER: OrderState = {
  ...placedOrderState(
    { orderId: '0b8f3c52-5d8e-4f0a-9a57-1d2c3b4a5e6f', customerId: 'taro-fan', drinks: [{ tea: 'Oolong', sugar: 25, pearl: 'Black Pearl', topping: 'Taro' }], placedAt: '2025-01-01T09:00:00.000Z', totalCents: 625 },
    5,
  ),
  status: 'ready',
  statusCode: ORDER_STATUSES.ready.code,
  statusText: ORDER_STATUSES.ready.text,
  estimate: { labelSeconds: 2, mixingSeconds: 5, toppingSeconds: 3 },
  labelledAt: '2025-01-01T09:00:02.000Z',
  mixedAt: '2025-01-01T09:00:07.000Z',
  readyAt: '2025-01-01T09:00:10.000Z',
  slaBreached: true,
  delays: [{ stage: 'mix', slaSeconds: 4.5, at: '2025-01-01T09:00:06.500Z' }],
  paymentId: 'pay_1',
  paidCents: 625,
};

let kafkaUp = true;
const readiness: ReadinessChecks = {
  temporal: async () => {},
  kafka: async () => {
    if (!kafkaUp) throw new Error('broker 127.0.0.1:9092 refused the connection');
  },
  postgres: async () => {},
};

const failingReader = new InMemoryOrderReader([READY_ORDER]);
const BROKEN_ORDER_ID = '99999999-9999-4999-8999-999999999999';
const originalGetOrder = failingReader.getOrder.bind(failingReader);
failingReader.getOrder = async (orderId) => {
  if (orderId === BROKEN_ORDER_ID) throw new Error('connection to 10.0.0.7:5432 lost; password=hunter2');
  return originalGetOrder(orderId);
};

let api: TestApi;
let shortages: Shortage[] = [];

beforeAll(async () => {
  const temporalClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  api = await startTestApi({ temporalClient, readiness, orderReader: failingReader, temporalUiUrl: 'http://127.0.0.1:8233/', stock: { shortages: () => shortages } });
});

afterAll(async () => {
  await api?.close();
});

describe('health and readiness', () => {
  it('GET /health is always 200', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready is 200 when every check passes and 503 naming the one that failed', async () => {
    kafkaUp = true;
    const ready = await fetch(`${api.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { temporal: 'ok', kafka: 'ok', postgres: 'ok' } });

    kafkaUp = false;
    const notReady = await fetch(`${api.baseUrl}/ready`);
    expect(notReady.status).toBe(503);
    const body = await notReady.json();
    expect(body).toEqual({ status: 'not ready', message: 'Not ready: kafka unavailable', checks: { temporal: 'ok', kafka: 'failed', postgres: 'ok' } });
    expect(JSON.stringify(body)).not.toContain('9092');
    kafkaUp = true;
  });
});

describe('menu', () => {
  it('GET /menu is the menu with the sugar labels, the prices, and nothing sold out', async () => {
    const response = await fetch(`${api.baseUrl}/menu`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify({ ...MENU, sugarLabels: SUGAR_LABELS, currency: CURRENCY, pricesCents: PRICES_CENTS, soldOut: [] })));
  });

  it('marks what a station lacks as sold out, and refuses an order that needs it with 409 and a code per field', async () => {
    shortages = [{ ingredient: 'Taro', station: 'top' }];
    try {
      const menu = (await (await fetch(`${api.baseUrl}/menu`)).json()) as { soldOut: unknown };
      expect(menu.soldOut).toEqual([{ ingredient: 'Taro', station: 'top', reason: 'Taro is sold out for now' }]);
      const drinks = [{ tea: 'Black', sugar: 0, pearl: 'None' }, { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }];
      const response = await fetch(`${api.baseUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'taro-fan', drinks }) });
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({
        message: 'Sold out for now: Taro. Please choose something else',
        errors: [{ field: 'drinks[1].topping', code: 'out_of_stock', message: 'Taro is sold out for now' }],
      });
    } finally {
      shortages = [];
    }
  });
});

describe('reading orders from the read model', () => {
  it('GET /orders/:id answers the read model’s state with links to itself and its workflow', async () => {
    const response = await fetch(`${api.baseUrl}/orders/${READY_ORDER.orderId}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ...READY_ORDER,
      // Ready: nothing left to estimate or to cancel.
      readyEstimate: null,
      cancellable: false,
      links: {
        self: `/orders/${READY_ORDER.orderId}`,
        workflow: `http://127.0.0.1:8233/namespaces/default/workflows/order-${READY_ORDER.orderId}`,
      },
    });
  });

  it('GET /orders passes the validated filters to the reader', async () => {
    const response = await fetch(`${api.baseUrl}/orders?customer=taro-fan&status=ready&limit=5`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ orders: [READY_ORDER], nextCursor: null });
    expect(failingReader.listQueries.at(-1)).toEqual({ customerId: 'taro-fan', status: 'ready', limit: 5 });

    await fetch(`${api.baseUrl}/orders`);
    expect(failingReader.listQueries.at(-1)).toEqual({ limit: 20 });
  });

  it.each(ORDER_STATUS_NAMES)('GET /orders?status=%s is a valid filter', async (status) => {
    const response = await fetch(`${api.baseUrl}/orders?status=${status}`);
    expect(response.status).toBe(200);
    expect(failingReader.listQueries.at(-1)).toEqual({ status, limit: 20 });
  });

  it('GET /orders?slaBreached= reads true and false as booleans', async () => {
    const breached = await fetch(`${api.baseUrl}/orders?slaBreached=true`);
    expect(await breached.json()).toEqual({ orders: [READY_ORDER], nextCursor: null });
    expect(failingReader.listQueries.at(-1)).toEqual({ slaBreached: true, limit: 20 });

    const onTime = await fetch(`${api.baseUrl}/orders?slaBreached=false&status=ready`);
    expect(await onTime.json()).toEqual({ orders: [], nextCursor: null });
    expect(failingReader.listQueries.at(-1)).toEqual({ slaBreached: false, status: 'ready', limit: 20 });
  });

  it.each([
    ['status=cold', 'status'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
    ['colour=red', 'colour'],
    ['customer=', 'customer'],
    ['customer=a&customer=b', 'customer'],
    ['slaBreached=yes', 'slaBreached'],
    ['slaBreached=1', 'slaBreached'],
    ['slaBreached=', 'slaBreached'],
  ])('GET /orders?%s is 400 naming %s', async (query, field) => {
    const response = await fetch(`${api.baseUrl}/orders?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; errors: Array<{ field: string }> };
    expect(body.message).toBe('Invalid query');
    expect(body.errors.map((error) => error.field)).toContain(field);
  });
});

describe('errors nobody expected', () => {
  it('are a logged 500 that tells the client nothing about the inside', async () => {
    const response = await fetch(`${api.baseUrl}/orders/${BROKEN_ORDER_ID}`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: 'Internal server error' });
    expect(text).not.toContain('hunter2');
    const logged = api.logs().find((line) => line.msg === 'unexpected error');
    expect(logged?.level).toBe(50);
    expect(JSON.stringify(logged?.err)).toContain('connection to 10.0.0.7:5432 lost');
  });

  it('an unknown route is a JSON 404', async () => {
    const response = await fetch(`${api.baseUrl}/teapot`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Cannot GET /teapot' });
  });
});

describe('logging', () => {
  it('logs each request as one JSON line with method, url, status and a request id', async () => {
    const response = await fetch(`${api.baseUrl}/menu`, { headers: { 'X-Request-Id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    const line = await vi.waitFor(() => {
      const found = api.logs().find((entry) => entry.msg === 'request completed' && (entry.req as { id?: string }).id === 'trace-123');
      if (!found) throw new Error('no request log line yet');
      return found;
    });
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', url: '/menu' }, res: { statusCode: 200 } });
  });

  it('routes Nest’s own messages through the same logger', () => {
    expect(api.logs().some((line) => line.component === 'nest' && line.context === 'RoutesResolver')).toBe(true);
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI 3.1 document at /openapi.json', async () => {
    const response = await fetch(`${api.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(buildOpenApiDocument());
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${api.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('swagger-ui');
    const init = await fetch(`${api.baseUrl}/docs/swagger-ui-init.js`);
    expect(await init.text()).toContain('"operationId": "placeOrder"');
  });
});

import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placedOrderState, type OrderState } from '../contracts/order-state';
import { SESSION_COOKIE } from './auth/session';
import { InMemoryOrderReader } from './testing/in-memory-order-reader';
import { asCustomer, asOperator, TEST_OPERATOR } from './testing/sessions';
import { openSse } from './testing/sse-client';
import { startTestApi, type TestApi } from './testing/test-api';

/**
 * Whom the API lets in: customers reach their own orders, operators every order. Orders live in an in-memory
 * read side; Temporal is a stand-in that accepts any cancellation, so refusals are seen to stop before it.
 */

function order(orderId: string, customerId: string): OrderState {
  return placedOrderState({ orderId, customerId, drinks: [{ tea: 'Oolong', sugar: 25, pearl: 'Black Pearl' }], placedAt: '2025-01-01T09:00:00.000Z', totalCents: 550 }, 1);
}

const ALICE_ORDER = order('0b8f3c52-5d8e-4f0a-9a57-1d2c3b4a5e6f', 'alice');
const BOB_ORDER = order('1c9f3c52-5d8e-4f0a-9a57-1d2c3b4a5e6f', 'bob');
const cancelled: string[] = [];
const temporalClient = {
  withDeadline: <T>(_deadline: number, work: () => Promise<T>) => work(),
  workflow: {
    getHandle: (workflowId: string) => ({
      executeUpdate: async () => {
        cancelled.push(workflowId);
        const orderId = workflowId.replace(/^order-/, '');
        const state = orderId === ALICE_ORDER.orderId ? ALICE_ORDER : BOB_ORDER;
        return { ...state, status: 'cancelled', cancelledAt: '2025-01-01T09:00:01.000Z', cancellationReason: 'x' };
      },
    }),
  },
} as unknown as Client;

let api: TestApi;
let alice: { authorization: string };
let bob: { authorization: string };
let operator: { authorization: string };

beforeAll(async () => {
  api = await startTestApi({ temporalClient, orderReader: new InMemoryOrderReader([ALICE_ORDER, BOB_ORDER]) });
  [alice, bob, operator] = await Promise.all([asCustomer(api.baseUrl, 'alice'), asCustomer(api.baseUrl, 'bob'), asOperator(api.baseUrl)]);
});

afterAll(async () => {
  await api?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api.baseUrl}${path}`, { headers });
const cancel = (orderId: string, headers: Record<string, string>) =>
  fetch(`${api.baseUrl}/orders/${orderId}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('without a session', () => {
  it.each([
    ['GET', '/orders'],
    ['GET', `/orders/${ALICE_ORDER.orderId}`],
    ['GET', `/orders/${ALICE_ORDER.orderId}/stream`],
    ['GET', '/orders/stream'],
    ['POST', `/orders/${ALICE_ORDER.orderId}/cancel`],
    ['POST', '/orders'],
    ['PUT', '/admin/faults/mix'],
    ['GET', '/sessions/current'],
  ])('%s %s is 401, saying how to sign in', async (method, path) => {
    const response = await fetch(`${api.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="bubble-tea-shop"');
    expect(((await response.json()) as { message: string }).message).toMatch(/^Sign in first: POST \/sessions/);
    expect(cancelled).toEqual([]);
  });

  it('is 401 with a forged or foreign token', async () => {
    const forged = `${alice.authorization.slice(0, -4)}AAAA`;
    expect((await get(`/orders/${ALICE_ORDER.orderId}`, { authorization: forged })).status).toBe(401);
    expect((await get(`/orders/${ALICE_ORDER.orderId}`, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.' })).status).toBe(401);
  });
});

describe('a customer', () => {
  it('reads their own order, and answers 404 for another customer’s', async () => {
    expect((await get(`/orders/${ALICE_ORDER.orderId}`, alice)).status).toBe(200);
    const other = await get(`/orders/${BOB_ORDER.orderId}`, alice);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ message: `Order ${BOB_ORDER.orderId} not found` });
  });

  it('lists only their own orders, and may not ask for another customer’s', async () => {
    const own = (await (await get('/orders', alice)).json()) as { orders: OrderState[] };
    expect(own.orders.map((listed) => listed.customerId)).toEqual(['alice']);
    expect((await get('/orders?customer=bob', alice)).status).toBe(403);
    expect((await get('/orders?customer=alice', alice)).status).toBe(200);
  });

  it('follows their own order and no other; the stream of all orders is for operators', async () => {
    const own = await openSse(`${api.baseUrl}/orders/${ALICE_ORDER.orderId}/stream`, undefined, alice);
    own.close();
    expect(own.status).toBe(200);
    const other = await openSse(`${api.baseUrl}/orders/${BOB_ORDER.orderId}/stream`, undefined, alice);
    other.close();
    expect(other.status).toBe(404);
    const all = await openSse(`${api.baseUrl}/orders/stream`, undefined, alice);
    all.close();
    expect(all.status).toBe(403);
  });

  it('cannot cancel another customer’s order (404), nor place an order in their name (403)', async () => {
    expect((await cancel(BOB_ORDER.orderId, alice)).status).toBe(404);
    const placed = await fetch(`${api.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...alice },
      body: JSON.stringify({ customerId: 'bob', drinks: [{ tea: 'Oolong', sugar: 25, pearl: 'Black Pearl' }] }),
    });
    expect(placed.status).toBe(403);
    expect(cancelled).toEqual([]);
  });

  it('cancels their own order', async () => {
    expect((await cancel(ALICE_ORDER.orderId, alice)).status).toBe(200);
    expect(cancelled).toEqual([`order-${ALICE_ORDER.orderId}`]);
    cancelled.length = 0;
  });

  it('may not use the admin API', async () => {
    const response = await fetch(`${api.baseUrl}/admin/faults/mix`, { method: 'PUT', headers: { 'content-type': 'application/json', ...bob }, body: '{}' });
    expect(response.status).toBe(403);
  });
});

describe('an operator', () => {
  it('reads, lists and follows every order', async () => {
    expect((await get(`/orders/${BOB_ORDER.orderId}`, operator)).status).toBe(200);
    const all = (await (await get('/orders', operator)).json()) as { orders: OrderState[] };
    expect(all.orders.map((listed) => listed.customerId).sort()).toEqual(['alice', 'bob']);
    const stream = await openSse(`${api.baseUrl}/orders/stream`, undefined, operator);
    stream.close();
    expect(stream.status).toBe(200);
  });

  it('cancels any order, leaving an audit line with who and when', async () => {
    expect((await cancel(BOB_ORDER.orderId, operator)).status).toBe(200);
    const audit = api.logs().find((line) => line.audit === true && line.action === 'cancel-order');
    expect(audit).toMatchObject({ actor: `operator:${TEST_OPERATOR.name}`, orderId: BOB_ORDER.orderId, time: expect.any(Number) });
    cancelled.length = 0;
  });

  it('signs in only with the right password', async () => {
    for (const body of [{ ...TEST_OPERATOR, password: 'wrong' }, { name: 'nobody', password: TEST_OPERATOR.password }]) {
      const response = await fetch(`${api.baseUrl}/sessions/operator`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });
});

describe('sessions in cookies', () => {
  async function cookieOf(customerId: string): Promise<string> {
    const response = await fetch(`${api.baseUrl}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId }) });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+;`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    return setCookie.split(';')[0]!;
  }

  it('are the same customer on a second device', async () => {
    const [first, second] = [await cookieOf('alice'), await cookieOf('alice')];
    for (const cookie of [first, second]) {
      const response = await get('/sessions/current', { cookie });
      expect(await response.json()).toEqual({ role: 'customer', customerId: 'alice' });
    }
  });

  it('cannot cancel from another site: a form POST, or a JSON request with a foreign Origin', async () => {
    const cookie = await cookieOf('alice');
    const form = await fetch(`${api.baseUrl}/orders/${ALICE_ORDER.orderId}/cancel`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const foreign = await fetch(`${api.baseUrl}/orders/${ALICE_ORDER.orderId}/cancel`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const crossSite = await fetch(`${api.baseUrl}/orders/${ALICE_ORDER.orderId}/cancel`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    expect(cancelled).toEqual([]);
    const own = await fetch(`${api.baseUrl}/orders/${ALICE_ORDER.orderId}/cancel`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: api.baseUrl, 'sec-fetch-site': 'same-origin' },
      body: '{}',
    });
    expect(own.status).toBe(200);
    cancelled.length = 0;
  });

  it('end with sign-out', async () => {
    const response = await fetch(`${api.baseUrl}/sessions`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });
});

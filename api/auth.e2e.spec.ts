import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaceOrder } from '../contracts/order-input';
import { startWholeShop, type WholeShop } from '../roles/testing/whole-shop';
import { asCustomer, asOperator } from './testing/sessions';

/**
 * Whom the API lets in, on the whole shop and the real servers: orders placed by two customers through
 * Temporal, read from the projected read model, cancelled through the workflow.
 */

let shop: WholeShop;
let alice: { authorization: string };
let bob: { authorization: string };
let operator: { authorization: string };
let aliceOrder: string;

// Slow stations, so Alice's order is still cancellable (labelling) when Bob and then an operator try.
const SLOW_LABEL: PlaceOrder['drinks'] = [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl' }];

async function place(session: { authorization: string }, customerId: string): Promise<string> {
  const response = await fetch(`${shop.api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...session },
    body: JSON.stringify({ customerId, drinks: SLOW_LABEL }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${shop.api}${path}`, { headers });
const cancel = (orderId: string, headers: Record<string, string>, body = '{}', contentType = 'application/json') =>
  fetch(`${shop.api}/orders/${orderId}/cancel`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });

beforeAll(async () => {
  shop = await startWholeShop('e2e-auth', { STATION_TIME_SCALE: '10', SLA_GRACE_SECONDS: '120' });
  [alice, bob, operator] = await Promise.all([asCustomer(shop.api, 'e2e-auth-alice'), asCustomer(shop.api, 'e2e-auth-bob'), asOperator(shop.api)]);
  aliceOrder = await place(alice, 'e2e-auth-alice');
});

afterAll(async () => {
  await shop?.stop();
});

describe('customers and operators on the real servers', () => {
  it('shows a customer their own order once it is in the read model', async () => {
    await expect.poll(async () => (await get(`/orders/${aliceOrder}`, alice)).status, { timeout: 30_000, interval: 200 }).toBe(200);
  });

  it('answers 401 without a session', async () => {
    expect((await get(`/orders/${aliceOrder}`)).status).toBe(401);
    expect((await get('/orders')).status).toBe(401);
    expect((await cancel(aliceOrder, {})).status).toBe(401);
  });

  it("lets a customer read their own order and not another customer's, nor list another customer's orders", async () => {
    const own = await get(`/orders/${aliceOrder}`, alice);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ orderId: aliceOrder, customerId: 'e2e-auth-alice' });
    expect([403, 404]).toContain((await get(`/orders/${aliceOrder}`, bob)).status);
    expect([403, 404]).toContain((await get(`/orders/${aliceOrder}/stream`, bob)).status);
    expect((await get('/orders?customer=e2e-auth-alice', bob)).status).toBe(403);
    const bobsList = (await (await get('/orders', bob)).json()) as { orders: Array<{ orderId: string }> };
    expect(bobsList.orders.map((order) => order.orderId)).not.toContain(aliceOrder);
  });

  it('refuses a customer placing an order in another name', async () => {
    const response = await fetch(`${shop.api}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bob },
      body: JSON.stringify({ customerId: 'e2e-auth-alice', drinks: SLOW_LABEL }),
    });
    expect(response.status).toBe(403);
  });

  it("refuses another customer's cancel and a cross-site form post, then lets an operator cancel", async () => {
    expect([403, 404]).toContain((await cancel(aliceOrder, bob)).status);
    expect((await cancel(aliceOrder, alice, 'reason=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    const byOperator = await cancel(aliceOrder, operator);
    expect(byOperator.status).toBe(200);
    expect(await byOperator.json()).toMatchObject({ orderId: aliceOrder, customerId: 'e2e-auth-alice' });
    expect((await get('/orders', operator)).status).toBe(200);
  });

  it('keeps the admin API and the reports to operators', async () => {
    expect((await get('/reports/popular-items', alice)).status).toBe(403);
    expect((await get('/reports/popular-items', operator)).status).toBe(200);
    const faults = await fetch(`${shop.api}/admin/faults/label`, { method: 'PUT', headers: { 'content-type': 'application/json', ...alice }, body: '{}' });
    expect(faults.status).toBe(403);
  });
});

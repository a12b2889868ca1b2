import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app-config';
import type { Drink } from '../contracts/order-input';
import type { OrderState } from '../contracts/order-state';
import { NO_FAULTS } from '../contracts/station-faults';
import { stackHome } from '../stack/stack-home';
import { temporalCliPath } from '../stack/temporal';
import { finalOrder as finalShopOrder, placeOrder as placeShopOrder } from './testing/shop-requests';
import { startWholeShop, type WholeShop } from './testing/whole-shop';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** Station faults switched on through the admin API, on the whole system: orders end refunded or delayed. */
let shop: WholeShop;
let config: AppConfig;
let api: string;
const setFaults = (...args: Parameters<WholeShop['setFaults']>) => shop.setFaults(...args);

const chocolate: Drink = { tea: 'Black', sugar: 75, pearl: 'Brown Sugar Pearl', topping: 'Chocolate' };
const plain: Drink = { tea: 'Oolong', sugar: 25, pearl: 'None' };

const placeOrder = (customerId: string, drinks: Drink[]) => placeShopOrder(api, customerId, drinks);
const finalOrder = (orderId: string) => finalShopOrder(api, orderId);

async function listed(query: string): Promise<string[]> {
  const page = (await (await fetch(`${api}/orders?${query}&limit=100`)).json()) as { orders: OrderState[] };
  return page.orders.map((order) => order.orderId).sort();
}

async function temporalList(query: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(temporalCliPath(stackHome()), [
    'workflow', 'list', '--address', config.temporal.address, '--namespace', config.temporal.namespace, '--query', query, '--output', 'json',
  ]);
  return (JSON.parse(stdout || '[]') as Array<{ execution: { workflowId: string } }>).map((workflow) => workflow.execution.workflowId.replace('order-', '')).sort();
}

describe('orders under injected station faults', () => {
  beforeAll(async () => {
    shop = await startWholeShop('e2e-failures', { STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '1' });
    ({ config, api } = shop);
  });

  afterAll(async () => {
    await shop?.stop();
  });

  it('refunds the orders that need an ingredient the top station ran out of, and finds them by status and search attribute', async () => {
    // The top station runs out while the orders are mixing (an order placed after is refused: see below).
    await setFaults('mix', { extraLatencyMs: 4000 });
    const customer = `e2e-stockout-${randomUUID().slice(0, 8)}`;
    const failing = await Promise.all([1, 2, 3].map(() => placeOrder(customer, [chocolate, plain])));
    const fine = await Promise.all([1, 2].map(() => placeOrder(customer, [plain])));
    await setFaults('top', { outOfStock: ['Chocolate'] });
    const refused = await fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: customer, drinks: [chocolate] }) });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ errors: [{ field: 'drinks[0].topping', code: 'out_of_stock' }] });
    await setFaults('mix', {});

    for (const orderId of failing) {
      expect(await finalOrder(orderId)).toMatchObject({ status: 'refunded', failureReason: 'top station is out of Chocolate' });
    }
    for (const orderId of fine) expect((await finalOrder(orderId)).status).toBe('ready');

    await expect.poll(() => listed(`customer=${customer}&status=refunded`), { timeout: 15_000 }).toEqual([...failing].sort());
    expect(await listed(`customer=${customer}&status=ready`)).toEqual([...fine].sort());
    await expect.poll(() => temporalList(`CustomerId="${customer}" AND OrderStatus="refunded"`), { timeout: 15_000 }).toEqual([...failing].sort());
    await setFaults('top', NO_FAULTS);
  });

  it('flags orders delayed by a slow mix station, which still reach ready', async () => {
    await setFaults('mix', { extraLatencyMs: 2500 });
    const customer = `e2e-slow-${randomUUID().slice(0, 8)}`;
    const orderIds = await Promise.all([1, 2].map(() => placeOrder(customer, [plain])));
    for (const orderId of orderIds) {
      const order = await finalOrder(orderId);
      expect(order).toMatchObject({ status: 'ready', slaBreached: true });
      expect(order.delays.map((delay) => delay.stage)).toContain('mix');
    }
    await expect.poll(() => listed(`customer=${customer}&slaBreached=true`), { timeout: 15_000 }).toEqual([...orderIds].sort());
    await expect.poll(() => temporalList(`CustomerId="${customer}" AND SlaBreached=true`), { timeout: 15_000 }).toEqual([...orderIds].sort());
    await setFaults('mix', NO_FAULTS);
  });
});

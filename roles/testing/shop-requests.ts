import { expect } from 'vitest';
import type { Station } from '../../contracts/names';
import type { Drink } from '../../contracts/order-input';
import type { OrderState } from '../../contracts/order-state';
import type { StationFaults } from '../../contracts/station-faults';
import { operatorFetch } from '../../api/testing/sessions';

/** What the e2e tests ask a running shop's API, as the test operator (who may reach every order). */

/** Sets a station's injected faults through the admin API and waits for the station workers to read them. */
export async function setStationFaults(api: string, adminToken: string, station: Station, faults: Partial<StationFaults>): Promise<void> {
  const response = await operatorFetch(`${api}/admin/faults/${station}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
  // The station workers follow the faults topic; give them a moment to read the change.
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

/** Places an order and answers its id, expecting it accepted. */
export async function placeOrder(api: string, customerId: string, drinks: Drink[]): Promise<string> {
  const response = await operatorFetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId, drinks }) });
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** The order once it is over: ready, or refunded after a cancellation or a failure. */
export async function finalOrder(api: string, orderId: string, timeoutMs = 60_000): Promise<OrderState> {
  let order: OrderState | undefined;
  await expect
    .poll(
      async () => {
        const response = await operatorFetch(`${api}/orders/${orderId}`);
        order = response.ok ? ((await response.json()) as OrderState) : undefined;
        return order?.status === 'ready' || order?.status === 'refunded';
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .toBe(true);
  return order!;
}

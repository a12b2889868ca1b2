import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@temporalio/client';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { OrderView } from '../api/order-view';
import { openSse, type SseConnection } from '../api/testing/sse-client';
import { terminateOrders } from '../api/testing/temporal-orders';
import { loadConfig } from '../config/app-config';
import { connectTemporal } from '../config/clients';
import type { OrderEvent } from '../contracts/events';
import { applyEvent } from '../projections/testing/apply-one-event';
import { migrateReadModel } from '../projections/migrate';
import { orderHistory } from '../projections/testing/order-event-fixtures';
import { down, up } from '../stack/stack';
import { stackHome } from '../stack/stack-home';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { freePort, spawnRoles, type RoleProcess } from './testing/role-process';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * The api role in a process of its own, as `npm run role -- api` runs it, through PostgreSQL outages: it starts
 * without PostgreSQL and takes orders (they need only Temporal) while reads answer 503 with Retry-After; and its
 * live streams reconnect after PostgreSQL restarts and keep delivering. Orders go to a namespace no worker
 * serves, so they stay placed.
 */

const env = { ...process.env, TEMPORAL_NAMESPACE: TEST_NAMESPACES.api, LOG_LEVEL: 'warn' };
const config = loadConfig(env);
const home = stackHome();
const postgres = { services: ['postgres'] as const };
const placedOrders = new Set<string>();
let temporalClient: Client;
let api: RoleProcess | undefined;

/** Starts the api role and waits until it answers; fails at once, with its output, if it exits instead. */
async function startApiProcess(): Promise<string> {
  const port = await freePort();
  api = spawnRoles(['api'], { ...env, API_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    if (api.exit()) throw new Error(`the api role exited while starting:\n${api.output()}`);
    if ((await fetch(`${url}/health`).catch(() => undefined))?.status === 200) return url;
  }
  throw new Error('the api role did not answer within 60 s');
}

function expectApiRunning(): void {
  expect({ exit: api?.exit(), output: api?.output() }).toMatchObject({ exit: undefined });
}

/** Writes as the projector does, on a connection of its own opened after any restart. */
async function apply(event: OrderEvent): Promise<void> {
  const client = new pg.Client({ connectionString: config.database.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    expect(await applyEvent(client, event, { partition: 0, offset: '0' })).toBe('applied');
  } finally {
    await client.end();
  }
}

const ordersOf = (stream: SseConnection, orderId: string) =>
  stream.frames.filter((frame) => frame.event === 'order' && (frame.data as OrderView).orderId === orderId).map((frame) => (frame.data as OrderView).status);

beforeAll(async () => {
  await migrateReadModel(config.database.url);
  temporalClient = new Client({ connection: await connectTemporal(config), namespace: config.temporal.namespace });
});

afterEach(async () => {
  await api?.stop();
  api = undefined;
  await up(home, postgres);
});

afterAll(async () => {
  await terminateOrders(temporalClient, placedOrders);
  await temporalClient.connection.close();
});

describe('the api role through PostgreSQL outages', () => {
  it('starts without PostgreSQL, takes orders, answers reads 503 with Retry-After, and recovers once it is back', { timeout: 120_000 }, async () => {
    onTestFailed(() => console.log(api?.output()));
    await down(home, postgres);
    const url = await startApiProcess();

    const placed = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'api-outage', drinks: [{ tea: 'Black', sugar: 0, pearl: 'None' }] }),
    });
    expect(placed.status).toBe(202);
    const { orderId } = (await placed.json()) as { orderId: string };
    placedOrders.add(orderId);

    for (const path of [`/orders/${orderId}`, '/orders?customer=api-outage', `/orders/${orderId}/stream`]) {
      const read = await fetch(`${url}${path}`);
      expect({ path, status: read.status, retryAfter: read.headers.get('retry-after') }).toEqual({ path, status: 503, retryAfter: '5' });
      expect(await read.json()).toEqual({ message: 'Orders cannot be read right now; please retry shortly' });
    }
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not ready',
      message: 'Not ready: postgres unavailable',
      checks: { temporal: 'ok', kafka: 'ok', postgres: 'failed' },
    });

    await up(home, postgres);
    await expect.poll(async () => (await fetch(`${url}/orders/${orderId}`)).status, { timeout: 30_000 }).toBe(200);
    expect(((await (await fetch(`${url}/orders/${orderId}`)).json()) as OrderView).status).toBe('placed');
    expect((await fetch(`${url}/orders?customer=api-outage`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expectApiRunning();
  });

  it('keeps its live streams delivering after PostgreSQL restarts', { timeout: 120_000 }, async () => {
    onTestFailed(() => console.log(api?.output()));
    const url = await startApiProcess();
    const events = orderHistory(0, { customerId: `api-outage-${randomUUID().slice(0, 8)}` });
    const orderId = events[0]!.orderId;
    await apply(events[0]!);
    const one = await openSse(`${url}/orders/${orderId}/stream`);
    const all = await openSse(`${url}/orders/stream`);
    await one.waitFor(1);

    await down(home, postgres);
    await up(home, postgres);
    expectApiRunning();
    // Listening again: the shop-wide stream says so, as announcements may have been missed meanwhile.
    await expect.poll(() => all.frames.filter((frame) => frame.event === 'resync').length, { timeout: 30_000 }).toBe(1);
    for (const event of events.slice(1)) await apply(event);

    const frames = await one.waitFor(4, 30_000);
    await expect.poll(() => ordersOf(all, orderId), { timeout: 30_000 }).toEqual(['labelled', 'mixed', 'ready']);
    one.close();
    all.close();
    expect(frames.map((frame) => [frame.id, (frame.data as OrderView).status])).toEqual([
      ['1', 'placed'],
      ['2', 'labelled'],
      ['3', 'mixed'],
      ['4', 'ready'],
    ]);
    // One listening connection after the restart, not one per lost-connection event: nothing arrives twice.
    await sleep(500);
    expect(one.frames).toHaveLength(4);
    expect(ordersOf(all, orderId)).toEqual(['labelled', 'mixed', 'ready']);
    expect(all.frames.filter((frame) => frame.event === 'resync')).toHaveLength(1);
  });
});

import { readFileSync } from 'node:fs';
import { Partitioners } from 'kafkajs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEventMessage } from '../activities/publisher';
import { createKafka, createPgPool } from '../config/clients';
import { TOPICS } from '../contracts/names';
import type { PlaceOrder } from '../contracts/order-input';
import type { OrderState } from '../contracts/order-state';
import type { LoggedOrderEvent } from '../contracts/upcasters';
import { ORDER_STATE_SELECT, type OrderRow } from '../projections/order-queries';
import { applyEvent } from '../projections/testing/apply-one-event';
import { getOrder } from '../projections/order-queries';
import { orderHistory } from '../projections/testing/order-event-fixtures';
import { rebuildReadModel, type RebuildResult } from '../projections/rebuild';
import { verifyReadModel } from '../projections/verify';
import { startWholeShop, type WholeShop } from './testing/whole-shop';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * `npm run projections -- rebuild` on the whole running shop: orders are placed before, during and after the
 * rebuild, and the read model is read all the while through the API and through the read-only role (and a
 * reporting view over `orders`). No read may fail, and no order the read model had may go missing, during the
 * swap; afterwards `verify` finds no difference and the read model is what it was plus the new orders.
 */
let shop: WholeShop;
let writer: pg.Pool;
let reader: pg.Pool;

const VIEW = 'e2e_rebuild_orders_by_status';
const order = (index: number): PlaceOrder => ({
  customerId: `e2e-rebuild-${index % 3}`,
  drinks: [index % 2 === 0 ? { tea: 'Jasmine Green Tea', sugar: 25, pearl: 'Lychee Pearl', topping: 'Matcha' } : { tea: 'Black', sugar: 0, pearl: 'None' }],
});

async function placeOrder(body: PlaceOrder): Promise<string> {
  const response = await fetch(`${shop.api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

async function readModel(): Promise<Map<string, OrderState>> {
  const { rows } = await writer.query<OrderRow>(`select ${ORDER_STATE_SELECT} from orders`);
  return new Map(rows.map((row) => [row.order_id, row.document]));
}

async function untilApplied(orderIds: readonly string[]): Promise<void> {
  await expect
    .poll(async () => (await writer.query(`select count(*)::int as n from orders where order_id = any($1::uuid[]) and status in ('ready', 'refunded')`, [orderIds])).rows[0].n, {
      timeout: 90_000,
      interval: 250,
    })
    .toBe(orderIds.length);
}

/** The v1 events of the archived corpus, published as the log holds them: old orders the rebuild folds again. */
async function publishArchivedV1Events(): Promise<Record<string, OrderState>> {
  const events = JSON.parse(readFileSync(new URL('../contracts/corpus/order-events.v1.json', import.meta.url), 'utf8')) as LoggedOrderEvent[];
  const producer = createKafka(shop.config).producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: TOPICS.orderEvents, acks: -1, messages: events.map(orderEventMessage) });
  await producer.disconnect();
  return JSON.parse(readFileSync(new URL('../contracts/corpus/folded.v1.json', import.meta.url), 'utf8')) as Record<string, OrderState>;
}

/** An archived order's state as folded today: without the status in words it was recorded with, which is display now. */
function withoutStatusText(recorded: OrderState): OrderState {
  const { statusCode: _code, statusText: _text, ...state } = recorded as OrderState & { statusCode?: number; statusText?: string };
  return state as OrderState;
}

describe('rebuilding the read model from the log', () => {
  beforeAll(async () => {
    shop = await startWholeShop('e2e-rebuild', { STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '120' });
    writer = createPgPool(shop.config.database.url, shop.logger);
    reader = createPgPool(shop.config.database.readerUrl, shop.logger);
    // As a reporting view would be written: plain, over `orders` by name.
    await writer.query(`create or replace view ${VIEW} as select status, count(*)::int as orders from orders group by status`);
    await writer.query(`grant select on ${VIEW} to bubble_tea_reader`);
  });

  afterAll(async () => {
    await writer?.query(`drop view if exists ${VIEW}`);
    await shop?.stop();
    await writer?.end();
    await reader?.end();
  });

  it('swaps in a fresh read model while orders are placed and read, and it equals the old one plus the new orders', async () => {
    const archived = await publishArchivedV1Events();
    const first = await Promise.all(Array.from({ length: 12 }, (_, index) => placeOrder(order(index))));
    await untilApplied([...first, ...Object.keys(archived)]);
    // Old orders keep every field they had; fields added since (payment, totals) come on top; the status in
    // words, recorded with them when it was state, is display now, which a view adds.
    for (const [orderId, state] of Object.entries(archived)) expect(await getOrder(reader, orderId)).toMatchObject(withoutStatusText(state));
    // Other tests on this stack write rows straight into the read model, around the log (the PostgreSQL outage
    // tests do): those are the only differences allowed before, and the rebuild, a fold of the log, drops them.
    // One such row of this test's own, so the path is always taken.
    const [drifted] = orderHistory(0);
    const client = await writer.connect();
    await applyEvent(client, drifted!, { partition: 0, offset: '0' }).finally(() => client.release());
    const baseline = await verifyReadModel({ kafka: createKafka(shop.config), pool: writer });
    const notInLog = new Set(baseline.differences.filter(({ problem }) => problem === 'in the read model but not in the log').map(({ orderId }) => orderId));
    expect(notInLog).toContain(drifted!.orderId);
    expect(baseline.differences.filter(({ orderId }) => !notInLog.has(orderId))).toEqual([]);
    const before = new Map([...(await readModel())].filter(([orderId]) => !notInLog.has(orderId)));
    const known = [...before.keys()];

    // Readers, all through the whole rebuild: the API, the read-only role, the view.
    const reads = { api: 0, role: 0, view: 0, failed: [] as string[] };
    let reading = true;
    const readers = [
      (async () => {
        for (let index = 0; reading; index++) {
          const orderId = known[index % known.length]!;
          const response = await fetch(`${shop.api}/orders/${orderId}`).catch((error: Error) => ({ status: error.message }));
          reads.api += 1;
          if (response.status !== 200) reads.failed.push(`GET /orders/${orderId}: ${response.status}`);
        }
      })(),
      (async () => {
        for (let index = 0; reading; index++) {
          const orderId = known[(index * 7) % known.length]!;
          const found = await getOrder(reader, orderId).catch((error: Error) => error);
          reads.role += 1;
          if (found === null || found instanceof Error) reads.failed.push(`read model, order ${orderId}: ${found === null ? 'not found' : found.message}`);
        }
      })(),
      (async () => {
        while (reading) {
          const result = await reader.query(`select sum(orders)::int as orders from ${VIEW}`).catch((error: Error) => error);
          reads.view += 1;
          if (result instanceof Error) reads.failed.push(`view: ${result.message}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })(),
    ];

    // Orders placed all through the rebuild.
    const during: string[] = [];
    let placing = true;
    const placer = (async () => {
      for (let index = 100; placing; index++) {
        during.push(await placeOrder(order(index)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const result: RebuildResult = await rebuildReadModel({ kafka: createKafka(shop.config), databaseUrl: shop.config.database.url, logger: shop.logger });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    placing = false;
    await placer;
    await untilApplied(during);
    reading = false;
    await Promise.all(readers);

    expect(reads.failed).toEqual([]);
    expect(Math.min(reads.api, reads.role, reads.view)).toBeGreaterThan(10);
    expect(result.views).toContain(VIEW);
    expect(result.messages).toBeGreaterThanOrEqual([...before.values()].reduce((sum, state) => sum + state.lastSequence, 0));
    expect(during.length).toBeGreaterThan(5);

    const verified = await verifyReadModel({ kafka: createKafka(shop.config), pool: writer });
    expect(verified.differences).toEqual([]);
    expect(verified.ordersCompared).toBeGreaterThanOrEqual(before.size + during.length);

    const after = await readModel();
    for (const [orderId, state] of before) expect(after.get(orderId), orderId).toEqual(state);
    for (const orderId of during) expect(after.get(orderId)).toMatchObject({ status: 'ready', lastSequence: 5 });
    expect([...after.keys()].sort()).toEqual([...new Set([...before.keys(), ...during])].sort());
    for (const [orderId, state] of Object.entries(archived)) expect(after.get(orderId)).toMatchObject(withoutStatusText(state));
    for (const orderId of notInLog) expect(after.has(orderId), orderId).toBe(false);
    // The view reads the new table.
    const { rows } = await reader.query(`select sum(orders)::int as orders from ${VIEW}`);
    expect(rows[0].orders).toBe(after.size);
    const leftovers = await writer.query(`select nspname from pg_namespace where nspname like 'read_model_%'`);
    expect(leftovers.rows).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import type { OrderEvent } from '../contracts/events';
import { applyEvent } from '../projections/testing/apply-one-event';
import { listenToOrderChanges, type OrderChangesListener } from '../projections/order-changes-listener';
import { orderHistory } from '../projections/testing/order-event-fixtures';
import { createScratchDatabase, roleOn, type ScratchDatabase } from '../projections/testing/scratch-database';
import type { OrderView } from './order-view';
import { pgOrderReader } from '../projections/pg-order-reader';
import { openSse } from './testing/sse-client';
import { startTestApi, type TestApi } from './testing/test-api';

/**
 * The live streams on their own: events applied to a real read model (as the projector applies them, NOTIFY
 * included) reach a subscribed client in order, and a reconnect with Last-Event-ID misses nothing.
 */
const config = loadConfig();
let database: ScratchDatabase;
let readerPool: pg.Pool;
let changes: OrderChangesListener;
let connection: Connection;
let api: TestApi;
let offset = 0;

async function apply(event: OrderEvent): Promise<void> {
  const client = await database.pool.connect();
  try {
    expect(await applyEvent(client, event, { partition: 0, offset: String(offset++) })).toBe('applied');
  } finally {
    client.release();
  }
}

const statusesOf = (frames: Array<{ data: unknown }>) => frames.map((frame) => (frame.data as OrderView).status);

describe('order streams (Server-Sent Events)', () => {
  beforeAll(async () => {
    database = await createScratchDatabase(config.database.url, { prefix: 'stream_test' });
    const readerUrl = roleOn(config.database.readerUrl, database);
    readerPool = new pg.Pool({ connectionString: readerUrl });
    changes = await listenToOrderChanges(readerUrl, pino({ level: 'warn' }));
    connection = await Connection.connect({ address: config.temporal.address });
    api = await startTestApi({ temporalClient: new Client({ connection }), orderReader: pgOrderReader(readerPool), orderChanges: changes });
  });

  afterAll(async () => {
    await api?.close();
    await changes?.close();
    await readerPool?.end();
    await connection?.close();
    await database?.drop();
  });

  it('sends every status of one order, in order, as each event is applied', async () => {
    const events = orderHistory(0);
    await apply(events[0]!);
    const stream = await openSse(`${api.baseUrl}/orders/${events[0]!.orderId}/stream`);
    expect(stream.status).toBe(200);
    await stream.waitFor(1);
    for (const event of events.slice(1)) await apply(event);
    const frames = await stream.waitFor(4);
    stream.close();

    expect(frames.map((frame) => frame.id)).toEqual(['1', '2', '3', '4']);
    expect(statusesOf(frames)).toEqual(['placed', 'labelled', 'mixed', 'ready']);
    expect(frames.every((frame) => frame.event === 'order')).toBe(true);
    expect(frames[3]!.data).toMatchObject({ orderId: events[0]!.orderId, lastSequence: 4, links: { self: `/orders/${events[0]!.orderId}` } });
  });

  it('resumes after Last-Event-ID on a reconnect, missing nothing that happened while away', async () => {
    const events = orderHistory(1);
    const url = `${api.baseUrl}/orders/${events[0]!.orderId}/stream`;
    await apply(events[0]!);
    await apply(events[1]!);
    const first = await openSse(url);
    const seen = await first.waitFor(2);
    first.close();

    await apply(events[2]!);
    await apply(events[3]!);
    const again = await openSse(url, seen.at(-1)!.id);
    const resumed = await again.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    again.close();
    expect(resumed.map((frame) => frame.id)).toEqual(['3', '4']);
    expect(again.frames).toHaveLength(2);
    expect(statusesOf(resumed)).toEqual(['mixed', 'ready']);
  });

  it('streams every order change of the shop on /orders/stream', async () => {
    const stream = await openSse(`${api.baseUrl}/orders/stream`);
    const [one, two] = [orderHistory(2), orderHistory(3)];
    await apply(one[0]!);
    await apply(two[0]!);
    await apply(one[1]!);
    const frames = await stream.waitFor(3);
    stream.close();
    expect(frames.map((frame) => [(frame.data as OrderView).orderId, (frame.data as OrderView).status])).toEqual([
      [one[0]!.orderId, 'placed'],
      [two[0]!.orderId, 'placed'],
      [one[0]!.orderId, 'labelled'],
    ]);
  });

  it('answers 404 for an order nobody placed', async () => {
    const stream = await openSse(`${api.baseUrl}/orders/${randomUUID()}/stream`);
    expect(stream.status).toBe(404);
    expect((await openSse(`${api.baseUrl}/orders/not-an-id/stream`)).status).toBe(404);
  });
});

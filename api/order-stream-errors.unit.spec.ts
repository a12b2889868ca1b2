import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import type { OrderChange, OrderChangesListener } from '../projections/order-changes-listener';
import { orderHistory } from '../projections/testing/order-event-fixtures';
import { InMemoryOrderReader } from './testing/in-memory-order-reader';
import { ReadModelUnavailableError } from '../projections/order-reader';
import { openSse } from './testing/sse-client';
import { startTestApi, type TestApi } from './testing/test-api';

/** A stream whose read fails (PostgreSQL restarting) stays open and delivers once reads work again. */

const events = orderHistory(0);
const orderId = events[0]!.orderId;
const finalState = events.reduce<OrderState | undefined>(evolve, undefined)!;

/** Answers from the events it holds, but fails as many reads as it is told to, as a read model out of reach would. */
class FlakyOrderReader extends InMemoryOrderReader {
  failingOrderReads = 0;
  failingEventReads = 0;

  constructor(private readonly history: OrderEvent[]) {
    super([finalState]);
  }

  override async getOrder(id: string): Promise<OrderState | null> {
    if (this.failingOrderReads > 0 && this.failingOrderReads--) throw unavailable();
    return super.getOrder(id);
  }

  override async eventsOf(): Promise<OrderEvent[]> {
    if (this.failingEventReads > 0 && this.failingEventReads--) throw unavailable();
    return this.history;
  }
}

const unavailable = () => new ReadModelUnavailableError({ cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) });

/** Announcements on demand. */
class ManualOrderChanges implements OrderChangesListener {
  private readonly listeners = new Set<(change: OrderChange) => void>();
  subscribe(listener: (change: OrderChange) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  announce(change: OrderChange): void {
    this.listeners.forEach((listener) => listener(change));
  }
  async close(): Promise<void> {}
}

const reader = new FlakyOrderReader(events);
const changes = new ManualOrderChanges();
let api: TestApi;

beforeAll(async () => {
  const temporalClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  api = await startTestApi({ temporalClient, orderReader: reader, orderChanges: changes });
});

afterAll(async () => {
  await api?.close();
});

describe('order streams when the read model does not answer', () => {
  it('keeps one order’s stream open and sends its events once a read succeeds again', { timeout: 15_000 }, async () => {
    reader.failingEventReads = 2;
    const stream = await openSse(`${api.baseUrl}/orders/${orderId}/stream`);
    expect(stream.status).toBe(200);
    changes.announce({ kind: 'event', orderId, sequence: 4 });
    const frames = await stream.waitFor(4);
    stream.close();
    expect(frames.map((frame) => frame.id)).toEqual(['1', '2', '3', '4']);
    expect(api.logs().some((line) => line.msg === 'order stream could not read the order; retrying')).toBe(true);
  });

  it('asks the shop-wide stream to resync when a changed order cannot be read', async () => {
    const stream = await openSse(`${api.baseUrl}/orders/stream`);
    reader.failingOrderReads = 1;
    changes.announce({ kind: 'event', orderId, sequence: 4 });
    changes.announce({ kind: 'event', orderId, sequence: 4 });
    const frames = await stream.waitFor(2);
    stream.close();
    expect(frames.map((frame) => frame.event).sort()).toEqual(['order', 'resync']);
  });
});

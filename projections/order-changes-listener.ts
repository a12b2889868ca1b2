import pg from 'pg';
import type { Logger } from 'pino';
import { ORDER_CHANGES_CHANNEL } from './apply-event';

/** What the projector announces after each applied event; `resync` after a lost connection, when announcements may have been missed. */
export type OrderChange = { kind: 'event'; orderId: string; sequence: number } | { kind: 'resync' };

export interface OrderChangesListener {
  subscribe(listener: (change: OrderChange) => void): () => void;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process, fanned out to every subscriber. If the connection drops it reconnects
 * with backoff and tells subscribers to resync from the read model, so nothing announced meanwhile is lost.
 */
export async function listenToOrderChanges(connectionString: string, logger: Logger): Promise<OrderChangesListener> {
  const listeners = new Set<(change: OrderChange) => void>();
  const emit = (change: OrderChange) => listeners.forEach((listener) => listener(change));
  let client: pg.Client | undefined;
  let closed = false;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString });
    next.on('notification', ({ payload }) => {
      try {
        const { orderId, sequence } = JSON.parse(payload ?? '') as { orderId: string; sequence: number };
        emit({ kind: 'event', orderId, sequence });
      } catch {
        logger.warn({ payload }, 'Ignoring an unreadable order change notification');
      }
    });
    next.on('error', (error) => {
      logger.warn({ err: error }, 'Order changes connection lost, reconnecting');
      void next.end().catch(() => undefined);
      if (!closed) void reconnect();
    });
    await next.connect();
    await next.query(`listen ${ORDER_CHANGES_CHANNEL}`);
    client = next;
  }

  async function reconnect(delayMs = 500): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (closed) return;
    try {
      await connect();
      emit({ kind: 'resync' });
    } catch (error) {
      logger.warn({ err: error }, 'Order changes: reconnect failed, retrying');
      await reconnect(Math.min(delayMs * 2, 10_000));
    }
  }

  await connect();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      await client?.end().catch(() => undefined);
    },
  };
}

import pg, { type ClientBase } from 'pg';
import type { Logger } from 'pino';
import { FIRST_BACKOFF_MS, nextBackoffMs } from '../config/backoff';
import { PG_CONNECTION_TIMEOUT_MS } from '../config/clients';
import type { AppliedEvent, PositionedEvent } from './event-batch';

/** The PostgreSQL NOTIFY channel on which every applied event is announced, as `{ orderId, sequence, status }`. */
export const ORDER_CHANGES_CHANNEL = 'order_changes';

/** What the projector announces after each applied event; `resync` after a lost connection, when announcements may have been missed. */
export type OrderChange = { kind: 'event'; orderId: string; sequence: number; traceparent?: string } | { kind: 'resync' };

export interface OrderChangesListener {
  subscribe(listener: (change: OrderChange) => void): () => void;
  close(): Promise<void>;
}


/**
 * One LISTEN connection per process, fanned out to every subscriber. It never fails: while PostgreSQL is out
 * of reach it keeps trying with backoff, and each time it is listening again it tells subscribers to resync
 * from the read model, so nothing announced meanwhile is lost. Resolves after the first attempt, connected or not.
 */
export async function listenToOrderChanges(connectionString: string, logger: Logger): Promise<OrderChangesListener> {
  const listeners = new Set<(change: OrderChange) => void>();
  const emit = (change: OrderChange) => listeners.forEach((listener) => listener(change));
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let retryMs = FIRST_BACKOFF_MS;
  let closed = false;

  async function connect(): Promise<boolean> {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: PG_CONNECTION_TIMEOUT_MS, keepAlive: true });
    next.on('notification', ({ payload }) => {
      try {
        const { orderId, sequence, traceparent } = JSON.parse(payload ?? '') as { orderId: string; sequence: number; traceparent?: string };
        emit({ kind: 'event', orderId, sequence, ...(traceparent && { traceparent }) });
      } catch {
        logger.warn({ payload }, 'Ignoring an unreadable order change notification');
      }
    });
    // node-pg may report one loss twice (the server's goodbye, then the closed socket): only the first counts.
    next.on('error', (error) => next === client && lost(error));
    try {
      await next.connect();
      await next.query(`listen ${ORDER_CHANGES_CHANNEL}`);
    } catch (error) {
      logger.warn({ err: error, retryInMs: retryMs }, 'Order changes: cannot listen yet, retrying');
      void next.end().catch(() => undefined);
      return false;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return false;
    }
    client = next;
    retryMs = FIRST_BACKOFF_MS;
    return true;
  }

  function lost(error: Error): void {
    logger.warn({ err: error }, 'Order changes connection lost, reconnecting');
    void client?.end().catch(() => undefined);
    client = undefined;
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || retry) return;
    retry = setTimeout(() => void reconnect(), retryMs);
  }

  async function reconnect(): Promise<void> {
    const connected = await connect();
    retry = undefined;
    if (connected) return emit({ kind: 'resync' });
    retryMs = nextBackoffMs(retryMs);
    scheduleReconnect();
  }

  if (!(await connect())) scheduleReconnect();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      await client?.end().catch(() => undefined);
    },
  };
}

/** Announces applied events inside the projection's transaction: delivered only when it commits, so a notified change is always readable. */
export async function announceOrderChanges(client: ClientBase, applied: ReadonlyArray<PositionedEvent & AppliedEvent>): Promise<void> {
  const payloads = applied.map(({ event, state, traceparent }) => JSON.stringify({ orderId: event.orderId, sequence: event.sequence, status: state.status, traceparent }));
  await client.query('select pg_notify($1, payload) from unnest($2::text[]) as payload', [ORDER_CHANGES_CHANNEL, payloads]);
}

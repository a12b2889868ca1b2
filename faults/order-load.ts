import { setTimeout as sleep } from 'node:timers/promises';
import { IDEMPOTENCY_KEY_HEADER, orderIdForIdempotencyKey } from '../api/idempotency-key';
import { MENU } from '../contracts/menu';
import type { Drink } from '../contracts/order-input';
import type { PlaceOrder } from '../contracts/order-input';

/** One order the load tried to place, as its customer saw it. */
export interface PlacedOrder {
  idempotencyKey: string;
  /** Known before the answer: the API derives it from the Idempotency-Key. */
  orderId: string;
  /** The first attempt: the customer's wait starts here, whatever the retries. */
  requestedAt: number;
  /** When the API answered 202. */
  acceptedAt?: number;
  attempts: number;
  outcome: 'pending' | 'accepted' | 'refused';
  /** The last error or unexpected status, for the report. */
  lastProblem?: string;
}

export interface OrderLoadOptions {
  apiUrl: string;
  ratePerSecond: number;
  /** All orders of one run share a customer, so the checks can find even orders whose 202 was lost. */
  customerId: string;
  /** `Authorization` of every request: an operator's (the shop's ADMIN_TOKEN) or the customer's session. */
  authorization: string;
  /** A client retries a failed POST with the same Idempotency-Key for this long, then gives up. */
  retryForMs?: number;
  requestTimeoutMs?: number;
}

/** A different, repeatable mix of 1 to 3 drinks for the n-th order. */
export function drinksFor(n: number): Drink[] {
  return Array.from({ length: 1 + (n % 3) }, (_, index) => {
    const i = n + index * 7;
    const topping = MENU.toppings[i % (MENU.toppings.length + 1)];
    return {
      tea: MENU.teas[i % MENU.teas.length]!,
      sugar: MENU.sugarLevels[i % MENU.sugarLevels.length]!,
      pearl: MENU.pearls[i % MENU.pearls.length]!,
      ...(topping ? { topping } : {}),
    };
  });
}

/** One `GET /orders/:id`: did the customer see their order? */
export interface OrderRead {
  at: number;
  ok: boolean;
  problem?: string;
}

/**
 * Places orders through `POST /orders` at a steady rate, as customers with a retrying client would, and at
 * the same rate reads the latest accepted order back (`GET /orders/:id`), as its customer following it would.
 */
export class OrderLoad {
  readonly orders: PlacedOrder[] = [];
  readonly reads: OrderRead[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly attempts = new Set<Promise<void>>();

  constructor(private readonly options: OrderLoadOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.placeNext();
      this.readLatest();
    }, 1000 / this.options.ratePerSecond);
  }

  /** Stops placing orders and waits for the attempts under way to get an answer or give up. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.attempts]);
  }

  counts(): Record<PlacedOrder['outcome'] | 'placed', number> {
    const counts = { placed: this.orders.length, pending: 0, accepted: 0, refused: 0 };
    for (const order of this.orders) counts[order.outcome] += 1;
    return counts;
  }

  private placeNext(): void {
    const n = this.orders.length;
    const idempotencyKey = `${this.options.customerId}-${n}`;
    const order: PlacedOrder = { idempotencyKey, orderId: orderIdForIdempotencyKey(idempotencyKey), requestedAt: Date.now(), attempts: 0, outcome: 'pending' };
    this.orders.push(order);
    const attempt = this.place(order, { customerId: this.options.customerId, drinks: drinksFor(n) });
    this.attempts.add(attempt);
    void attempt.finally(() => this.attempts.delete(attempt));
  }

  private readLatest(): void {
    const latest = this.orders.findLast((order) => order.outcome === 'accepted');
    if (!latest) return;
    const read: OrderRead = { at: Date.now(), ok: false };
    const attempt = fetch(`${this.options.apiUrl}/orders/${latest.orderId}`, { headers: { authorization: this.options.authorization }, signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000) }).then(
      async (response) => {
        await response.body?.cancel();
        read.ok = response.status === 200;
        if (!read.ok) read.problem = `HTTP ${response.status}`;
      },
      (error: Error) => {
        read.problem = causeOf(error);
      },
    );
    this.reads.push(read);
    this.attempts.add(attempt);
    void attempt.finally(() => this.attempts.delete(attempt));
  }

  private async place(order: PlacedOrder, body: PlaceOrder): Promise<void> {
    const giveUpAt = order.requestedAt + (this.options.retryForMs ?? 20_000);
    let pauseMs = 500;
    for (;;) {
      order.attempts += 1;
      try {
        const response = await fetch(`${this.options.apiUrl}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: this.options.authorization, [IDEMPOTENCY_KEY_HEADER]: order.idempotencyKey },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (response.status === 202) {
          order.acceptedAt = Date.now();
          order.outcome = 'accepted';
          return;
        }
        order.lastProblem = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        order.lastProblem = causeOf(error as Error);
      }
      if (Date.now() + pauseMs > giveUpAt) break;
      await sleep(pauseMs);
      pauseMs = Math.min(pauseMs * 2, 4000);
    }
    order.outcome = 'refused';
  }
}

/** fetch reports a refused connection as "fetch failed" with the reason in `cause`. */
function causeOf(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

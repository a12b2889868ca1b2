import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { FaultRun } from './fault-suite-checks';
import { projectorLagOf } from '../projections/order-log';
import type { OrderLoad } from './order-load';
import { finishedCountOf, statusCountsOf } from './read-model-queries';

/** Waits until an order placed after `since` (a restart) is ready or refunded in the read model: the shop works end to end again. */
export async function untilRecovered(load: OrderLoad, pool: pg.Pool, since: number | undefined, deadline: number): Promise<boolean> {
  if (since === undefined) return false;
  while (Date.now() < deadline) {
    const placedSince = load.orders.filter((order) => order.outcome === 'accepted' && order.requestedAt >= since).map((order) => order.orderId);
    if (placedSince.length > 0 && (await finishedCountOf(pool, placedSince).catch(() => 0)) > 0) return true;
    await sleep(500);
  }
  return false;
}

/** Waits, at most `drainSeconds`, until every order of the run is finished and the projector has applied the whole topic. */
export async function drainShop(load: OrderLoad, pool: pg.Pool, kafka: Kafka, drainSeconds: number, customerId: string): Promise<FaultRun['drain']> {
  const began = Date.now();
  const accepted = load.orders.filter((order) => order.outcome === 'accepted').map((order) => order.orderId);
  for (;;) {
    const done = await Promise.all([
      finishedCountOf(pool, accepted).then((count) => count === accepted.length),
      statusCountsOf(pool, customerId).then((counts) => Object.keys(counts).every((status) => status === 'ready' || status === 'refunded')),
      projectorLagOf(kafka).then((lag) => lag === 0),
    ]).then(
      (all) => all.every(Boolean),
      () => false,
    );
    const seconds = (Date.now() - began) / 1000;
    if (done) return { finished: true, seconds };
    if (seconds >= drainSeconds) return { finished: false, seconds };
    await sleep(1000);
  }
}

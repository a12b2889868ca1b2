import type { Drink } from '../contracts/order-input';
import { closedLoop } from './closed-loop';
import type { Progress } from './progress';
import type { ReadyWatch } from './ready-watch';
import { distribution, perSecond, type Distribution } from './stats';
import { BENCH_AUTHORIZATION } from './shop-process';

/* Orders placed through the shop's HTTP API, timed from the POST to the moment the read model shows them ready. */

const DRINKS: Drink[][] = [
  [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }],
  [{ tea: 'Black', sugar: 0, pearl: 'None' }, { tea: 'Jasmine Green Tea', sugar: 100, pearl: 'Lychee Pearl', topping: 'Matcha' }],
];

export interface LoadResult {
  label: string;
  placed: number;
  /** POSTs the shop did not accept (a 503 when Temporal does not answer in time): an overload, not a crash of the bench. */
  refused: number;
  ready: number;
  /** Orders that reached ready per second, over the phase from the first POST to the last ready. */
  readyPerSecond: number;
  latencyMs: Distribution;
}

const REFUSED = 'refused';

async function placeAndTime(api: string, watch: ReadyWatch, index: number, deadline: number): Promise<number | undefined | typeof REFUSED> {
  const started = Date.now();
  const response = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...BENCH_AUTHORIZATION },
    body: JSON.stringify({ customerId: `bench-${index % 20}`, drinks: DRINKS[index % DRINKS.length] }),
  });
  if (response.status === 503) return REFUSED;
  if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  const { orderId } = (await response.json()) as { orderId: string };
  const readyAt = await new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
    void watch.whenReady(orderId).then((at) => {
      clearTimeout(timer);
      resolve(at);
    });
  });
  return readyAt === undefined ? undefined : readyAt - started;
}

function summarise(label: string, placed: number, latencies: Array<number | undefined | typeof REFUSED>, elapsedMs: number): LoadResult {
  const done = latencies.filter((latency): latency is number => typeof latency === 'number');
  const refused = latencies.filter((latency) => latency === REFUSED).length;
  return { label, placed, refused, ready: done.length, readyPerSecond: perSecond(done.length, elapsedMs), latencyMs: distribution(done) };
}

/** As many orders as the shop takes: `inFlight` at a time, each followed until it is ready. */
export async function saturate(api: string, watch: ReadyWatch, orders: number, inFlight: number, bar: Progress, maxWaitMs = 120_000): Promise<LoadResult> {
  const latencies: Array<number | undefined | typeof REFUSED> = [];
  const { elapsedMs } = await closedLoop(
    orders,
    inFlight,
    async (index) => {
      latencies.push(await placeAndTime(api, watch, index, Date.now() + maxWaitMs));
    },
    (done) => bar.update(done),
  );
  const result = summarise(`saturation, ${inFlight} in flight`, orders, latencies, elapsedMs);
  bar.finish(`${result.readyPerSecond.toFixed(1)} ready/s`);
  return result;
}

/** Orders at a fixed rate for `seconds`, whether or not the shop keeps up; each is followed until ready or `maxWaitMs`. */
export async function fixedRate(api: string, watch: ReadyWatch, rate: number, seconds: number, bar: Progress, maxWaitMs = 60_000): Promise<LoadResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const started = Date.now();
  const timings: Array<Promise<number | undefined | typeof REFUSED>> = [];
  let ready = 0;
  let placed = 0;
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / rate;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const timing = placeAndTime(api, watch, index, Date.now() + maxWaitMs);
    placed = index + 1;
    void timing.then((latency) => typeof latency === 'number' && bar.update(++ready, `ready, ${placed} placed`), () => undefined);
    timings.push(timing);
  }
  const latencies = await Promise.all(timings);
  const result = summarise(`${rate} orders/s`, total, latencies, Date.now() - started);
  bar.finish(`p99 ${result.latencyMs.p99} ms`);
  return result;
}

import { ApplicationFailure, Context } from '@temporalio/activity';
import type { StationEstimate } from '../contracts/events';
import type { Drink } from '../contracts/order-input';
import { TASK_QUEUES, type Station } from '../contracts/names';
import type { StationFaults } from '../contracts/station-faults';
import { estimateStations } from '../contracts/station-estimate';

export interface StationDeps {
  /** Multiplies every station duration: 1 for the realistic demo, 0 for instant tests and benchmarks. */
  timeScale: number;
  /** The faults injected into each station right now (none unless configured). */
  faultsOf: (station: Station) => StationFaults;
  random?: () => number;
}

/**
 * How often a station reports it is alive while it works. The workflow's heartbeat timeout (a few seconds)
 * is what lets Temporal retry the activity elsewhere soon after its worker dies; this must stay well below it.
 */
export const STATION_HEARTBEAT_INTERVAL_MS = 1000;

/**
 * Options of every station worker: heartbeats reach the server at least this often (by default only every
 * 80% of the heartbeat timeout), leaving a loaded machine seconds of margin before that timeout.
 */
export const STATION_WORKER_OPTIONS = { maxHeartbeatThrottleInterval: '2 seconds' } as const;

/** Waits `ms`, heartbeating as it goes; a cancellation (delivered with a heartbeat) ends the wait. */
async function workFor(ms: number): Promise<void> {
  const context = Context.current();
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    context.heartbeat();
    await context.sleep(Math.min(left, STATION_HEARTBEAT_INTERVAL_MS));
  }
}

const ingredientsOf = (drinks: readonly Drink[]) => new Set(drinks.flatMap((drink) => [drink.tea, drink.pearl, ...(drink.topping ? [drink.topping] : [])]));

/** The three stations of the shop, each run by its own worker on its own task queue. */
export function createStationActivities({ timeScale, faultsOf, random = Math.random }: StationDeps) {
  /** Does one station's work for `seconds` (scaled), unless an injected fault says otherwise. */
  const work = async (station: Station, drinks: readonly Drink[], seconds: number) => {
    const faults = faultsOf(station);
    const missing = [...ingredientsOf(drinks)].filter((ingredient) => faults.outOfStock.includes(ingredient));
    if (missing.length > 0) {
      throw ApplicationFailure.nonRetryable(`${station} station is out of ${missing.join(', ')}`, 'OutOfStock');
    }
    const ms = Math.round(seconds * timeScale * 1000) + faults.extraLatencyMs;
    await workFor(ms);
    if (faults.failureRate > 0 && random() < faults.failureRate) {
      throw ApplicationFailure.retryable(`${station} station hiccup (attempt ${Context.current().info.attempt}), will retry`, 'StationHiccup');
    }
  };
  const log = () => Context.current().log;

  return {
    async printLabels(input: { orderId: string; drinks: Drink[] }): Promise<StationEstimate> {
      const estimate = estimateStations(input.drinks);
      log().info('Printing labels', { orderId: input.orderId, drinks: input.drinks.length, ...estimate });
      await work('label', input.drinks, estimate.labelSeconds);
      return estimate;
    },
    async mixTea(input: { orderId: string; drinks: Drink[]; mixingSeconds: number }): Promise<void> {
      log().info('Mixing', { orderId: input.orderId, mixingSeconds: input.mixingSeconds });
      await work('mix', input.drinks, input.mixingSeconds);
    },
    async sealTop(input: { orderId: string; drinks: Drink[]; toppingSeconds: number }): Promise<void> {
      log().info('Sealing and topping', { orderId: input.orderId, toppingSeconds: input.toppingSeconds });
      await work('top', input.drinks, input.toppingSeconds);
    },
  };
}

export type StationActivities = ReturnType<typeof createStationActivities>;
export const STATION_ACTIVITY_NAMES = {
  label: ['printLabels'],
  mix: ['mixTea'],
  top: ['sealTop'],
} as const satisfies Record<Station, ReadonlyArray<keyof StationActivities>>;

/** What a worker of one station runs: that station's task queue, its activities alone, and STATION_WORKER_OPTIONS. */
export function stationWorkerOptions(station: Station, activities: StationActivities) {
  return {
    taskQueue: TASK_QUEUES[station],
    activities: Object.fromEntries(STATION_ACTIVITY_NAMES[station].map((name) => [name, activities[name]])),
    ...STATION_WORKER_OPTIONS,
  };
}

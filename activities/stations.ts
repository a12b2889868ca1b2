import { ApplicationFailure, Context } from '@temporalio/activity';
import type { StationEstimate } from '../contracts/events';
import type { Drink } from '../contracts/menu';
import type { Station } from '../contracts/names';
import type { StationFaults } from '../contracts/station-faults';
import { estimateStations } from './station-estimate';

export interface StationDeps {
  /** Multiplies every station duration: 1 for the realistic demo, 0 for instant tests and benchmarks. */
  timeScale: number;
  /** The faults injected into each station right now (none unless configured). */
  faultsOf: (station: Station) => StationFaults;
  random?: () => number;
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
    if (ms > 0) await Context.current().sleep(ms);
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

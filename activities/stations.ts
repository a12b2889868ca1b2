import { Context } from '@temporalio/activity';
import type { StationEstimate } from '../contracts/events';
import type { Drink } from '../contracts/menu';
import { estimateStations } from './station-estimate';

export interface StationDeps {
  /** Multiplies every station duration: 1 for the realistic demo, 0 for instant tests and benchmarks. */
  timeScale: number;
}

/** The three stations of the shop, each run by its own worker on its own task queue. */
export function createStationActivities({ timeScale }: StationDeps) {
  const work = async (seconds: number) => {
    const ms = Math.round(seconds * timeScale * 1000);
    if (ms > 0) await Context.current().sleep(ms);
  };
  const log = () => Context.current().log;

  return {
    async printLabels(input: { orderId: string; drinks: Drink[] }): Promise<StationEstimate> {
      const estimate = estimateStations(input.drinks);
      log().info('Printing labels', { orderId: input.orderId, drinks: input.drinks.length, ...estimate });
      await work(estimate.labelSeconds);
      return estimate;
    },
    async mixTea(input: { orderId: string; mixingSeconds: number }): Promise<void> {
      log().info('Mixing', { orderId: input.orderId, mixingSeconds: input.mixingSeconds });
      await work(input.mixingSeconds);
    },
    async sealTop(input: { orderId: string; toppingSeconds: number }): Promise<void> {
      log().info('Sealing and topping', { orderId: input.orderId, toppingSeconds: input.toppingSeconds });
      await work(input.toppingSeconds);
    },
  };
}

export type StationActivities = ReturnType<typeof createStationActivities>;
export const STATION_ACTIVITY_NAMES = {
  label: ['printLabels'],
  mix: ['mixTea'],
  top: ['sealTop'],
} as const satisfies Record<string, ReadonlyArray<keyof StationActivities>>;

import { z } from 'zod';
import { STATIONS, type Station } from '../contracts/names';
import { FINAL_STATUSES, type OrderState } from '../contracts/order-state';
import { estimateStations } from '../contracts/station-estimate';

/*
 * When an order still being made should be ready, worked out each time the order is shown from its state and
 * the station time scale the shop runs with; nothing of it is stored. The stations' times are the label
 * station's estimate (before the labels are printed, the same estimate made from the recipe), scaled, and
 * counted from when the order reached the station it is at. A station that outlasted its SLA (OrderDelayed)
 * is expected to need its time again from when that was noticed: a late station is most often one whose work
 * is being retried.
 */

const seconds = z.number().nonnegative();

export const readyEstimateSchema = z
  .object({
    readyBy: z.iso.datetime({ offset: true }).meta({ description: 'When the order should be ready.' }),
    stationSeconds: z
      .object({ label: seconds, mix: seconds, top: seconds })
      .meta({ description: 'How long each station should take this order, at the shop’s station time scale (STATION_TIME_SCALE).' }),
    late: z.boolean().meta({ description: 'The station the order is at has outlasted its SLA; `readyBy` counts its time again from then.' }),
  })
  .meta({ description: 'When an order still being made should be ready; null once it is ready or stopped.' });

export type ReadyEstimate = z.infer<typeof readyEstimateSchema>;

/** The estimate of an order in the making, or null once nothing more will be made (ready, cancelled, failed, declined). */
export function readyEstimate(state: OrderState, stationTimeScale: number): ReadyEstimate | null {
  const stopped = state.readyAt !== null || state.cancelledAt !== null || state.failedAt !== null || state.declineReason !== null;
  if (stopped || FINAL_STATUSES.has(state.status)) return null;
  const estimate = state.estimate ?? estimateStations(state.drinks);
  const stationSeconds: Record<Station, number> = {
    label: scaled(estimate.labelSeconds, stationTimeScale),
    mix: scaled(estimate.mixingSeconds, stationTimeScale),
    top: scaled(estimate.toppingSeconds, stationTimeScale),
  };
  const station: Station = state.mixedAt !== null ? 'top' : state.labelledAt !== null ? 'mix' : 'label';
  const reachedAt = state.mixedAt ?? state.labelledAt ?? state.placedAt;
  const delay = state.delays.findLast((candidate) => candidate.stage === station);
  const stationEnds = Date.parse(delay?.at ?? reachedAt) + stationSeconds[station] * 1000;
  const laterSeconds = STATIONS.slice(STATIONS.indexOf(station) + 1).reduce((sum, later) => sum + stationSeconds[later], 0);
  return { readyBy: new Date(stationEnds + laterSeconds * 1000).toISOString(), stationSeconds, late: delay !== undefined };
}

/** Tenths of a second are as fine as a customer reads. */
function scaled(unscaledSeconds: number, stationTimeScale: number): number {
  return Math.round(unscaledSeconds * stationTimeScale * 10) / 10;
}

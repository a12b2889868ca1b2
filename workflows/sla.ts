import type { OrderPolicy } from './order-definitions';

/** The most a label takes per drink before scaling (see contracts/station-estimate.ts). */
const MAX_LABEL_SECONDS_PER_DRINK = 2;

export function slaSeconds(estimateSeconds: number, policy: OrderPolicy): number {
  return estimateSeconds * policy.stationTimeScale * policy.slaFactor + policy.slaGraceSeconds;
}

/** Labelling starts before its estimate exists, so its SLA uses the most a label can take. */
export function labelSlaSeconds(drinkCount: number, policy: OrderPolicy): number {
  return slaSeconds(drinkCount * MAX_LABEL_SECONDS_PER_DRINK, policy);
}

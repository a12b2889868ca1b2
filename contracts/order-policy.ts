/**
 * The time limits of one order, fixed when it is placed so a replay sees the same ones, and the arithmetic of
 * its SLAs and deadline. Configuration (config/app-config.ts) gives every new order the shop's policy.
 */
export interface OrderPolicy {
  /** The STATION_TIME_SCALE the stations run with, so SLAs follow real station time. */
  stationTimeScale: number;
  /** A stage's SLA is its estimate × stationTimeScale × slaFactor + slaGraceSeconds. */
  slaFactor: number;
  slaGraceSeconds: number;
  /** The whole order fails (and is refunded) if it is not ready this long after it was placed. */
  deadlineSeconds: number;
}

/** The most a label takes per drink before scaling (see contracts/station-estimate.ts). */
const MAX_LABEL_SECONDS_PER_DRINK = 2;

/** A stage's SLA in seconds; 0 (instant stations and no grace) means the stage has none. */
export function slaSeconds(estimateSeconds: number, policy: OrderPolicy): number {
  return estimateSeconds * policy.stationTimeScale * policy.slaFactor + policy.slaGraceSeconds;
}

/** Labelling starts before its estimate exists, so its SLA uses the most a label can take. */
export function labelSlaSeconds(drinkCount: number, policy: OrderPolicy): number {
  return slaSeconds(drinkCount * MAX_LABEL_SECONDS_PER_DRINK, policy);
}

/** Why an order that outlasted its deadline failed, in the customer's words. */
export function deadlineReason(policy: OrderPolicy): string {
  return `not ready within the ${policy.deadlineSeconds}s deadline`;
}

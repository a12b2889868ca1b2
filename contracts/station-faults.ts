import { z } from 'zod';
import { MENU } from './menu';
import type { Station } from './names';

/* Faults injected into a station on purpose, so the demo and the tests can provoke every failure path. */

const ingredients = [...MENU.teas, ...MENU.pearls.filter((pearl) => pearl !== 'None'), ...MENU.toppings] as const;

export const stationFaultsSchema = z
  .strictObject({
    /** Share of attempts that fail with a transient (retried) error, 0..1. */
    failureRate: z.number().min(0).max(1).default(0),
    /** Added to every attempt's work, in milliseconds (not scaled). */
    extraLatencyMs: z.number().int().min(0).max(600_000).default(0),
    /** Ingredients this station has run out of: an order that needs one fails for good. */
    outOfStock: z.array(z.enum([...new Set(ingredients)] as [string, ...string[]])).default([]),
  })
  .meta({ id: 'StationFaults' });

export type StationFaults = z.infer<typeof stationFaultsSchema>;

export const NO_FAULTS: StationFaults = { failureRate: 0, extraLatencyMs: 0, outOfStock: [] };

/** A change of one station's faults, as published on the station-faults topic (keyed by station, compacted). */
export interface StationFaultsChanged {
  station: Station;
  faults: StationFaults;
}

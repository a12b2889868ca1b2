import type { z } from 'zod';
import { orderEventSchema, type OrderEvent, type OrderEventOf } from './events';
import { orderPlacedEventV1, type OrderPlacedV1 } from './events.v1';
import { drinkPriceCents, LAUNCH_PRICES_CENTS } from './menu';

/**
 * Upcasting: an event of an older version is read as the current one, one pure step per version, at every
 * place events are read (the projector, parked events, stored events, the fault suite's checks). The log is
 * never rewritten. To add a version: freeze the old schema in events.v<N>.ts, write its step here, list it in
 * UPCASTERS, and add a test and a corpus event (contracts/corpus/).
 */

/**
 * OrderPlaced v1 → v2: each drink gets its price. Orders of version 1 were placed before prices were
 * recorded, at the first price list's prices, so that list (not today's) prices them.
 */
export function orderPlacedV1ToV2(event: OrderPlacedV1): OrderEventOf<'OrderPlaced'> {
  const drinks = event.data.drinks.map((drink) => ({ ...drink, priceCents: drinkPriceCents(drink, LAUNCH_PRICES_CENTS) }));
  return { ...event, schemaVersion: 2, data: { ...event.data, drinks } };
}

interface Upcaster {
  type: OrderEvent['type'];
  from: number;
  /** The frozen schema of version `from`: the step's input is checked against it first. */
  schema: z.ZodType;
  /** One version up; the last step's result is checked against the current schema. */
  up(event: never): unknown;
}

export const UPCASTERS: readonly Upcaster[] = [{ type: 'OrderPlaced', from: 1, schema: orderPlacedEventV1, up: orderPlacedV1ToV2 }];

function versionOf(json: unknown): { type: unknown; schemaVersion: unknown } {
  return typeof json === 'object' && json !== null ? (json as { type: unknown; schemaVersion: unknown }) : { type: undefined, schemaVersion: undefined };
}

/**
 * Reads JSON as an order event of the current version: an older version is checked against its own frozen
 * schema, upcast step by step, and checked again; the current version is checked as it is.
 */
export function parseOrderEvent(json: unknown): z.ZodSafeParseResult<OrderEvent> {
  let current = json;
  for (;;) {
    const { type, schemaVersion } = versionOf(current);
    const step = UPCASTERS.find((upcaster) => upcaster.type === type && upcaster.from === schemaVersion);
    if (!step) return orderEventSchema.safeParse(current);
    const old = step.schema.safeParse(current);
    if (!old.success) return old as z.ZodSafeParseResult<never>;
    current = step.up(old.data as never);
  }
}

/** As parseOrderEvent, for JSON that was a valid event when it was stored: throws if it is not one. */
export function storedOrderEvent(json: unknown): OrderEvent {
  const parsed = parseOrderEvent(json);
  if (!parsed.success) throw new Error(`a stored event is no longer readable: ${parsed.error.message}`);
  return parsed.data;
}

/** An event of any version the log may hold. */
export type LoggedOrderEvent = OrderEvent | OrderPlacedV1;

/** A typed event of any version as the current one (already valid by its type, so not checked again). */
export function upcastOrderEvent(event: LoggedOrderEvent): OrderEvent {
  if (event.type === 'OrderPlaced' && event.schemaVersion === 1) return orderPlacedV1ToV2(event);
  return event as OrderEvent;
}

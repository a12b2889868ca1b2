import type { z } from 'zod';
import { orderEventSchema, type OrderEvent } from './events';
import { orderPlacedEventV1, orderRefundedEventV1 } from './events.v1';
import { orderPlacedV1ToV2, orderRefundedV1ToV2 } from './upcast-steps';

export { orderPlacedV1ToV2, orderRefundedV1ToV2, upcastOrderEvent, type LoggedOrderEvent } from './upcast-steps';

/*
 * Upcasting: an event of an older version is read as the current one, one pure step per version, at every
 * place events are read (the projector, parked events, stored events, the fault suite's checks). The log is
 * never rewritten. To add a version: freeze the old schema in events.v<N>.ts, write its step in
 * upcast-steps.ts, list it in UPCASTERS, and add a test and a corpus event (contracts/corpus/).
 */

interface Upcaster {
  type: OrderEvent['type'];
  from: number;
  /** The frozen schema of version `from`: the step's input is checked against it first. */
  schema: z.ZodType;
  /** One version up; the last step's result is checked against the current schema. */
  up(event: never): unknown;
}

export const UPCASTERS: readonly Upcaster[] = [
  { type: 'OrderPlaced', from: 1, schema: orderPlacedEventV1, up: orderPlacedV1ToV2 },
  { type: 'OrderRefunded', from: 1, schema: orderRefundedEventV1, up: orderRefundedV1ToV2 },
];

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

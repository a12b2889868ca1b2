import { z } from 'zod';
import { orderEventSchema } from './events';
import { orderPlacedEventV1 } from './events.v1';

/**
 * The event schemas as JSON Schema, for consumers outside this codebase: generated from the zod types and
 * committed under contracts/json-schemas/ (a test keeps the files equal to what the types generate).
 */
export function eventJsonSchemas(): Record<string, unknown> {
  return {
    'order-event.json': z.toJSONSchema(orderEventSchema),
    'order-placed.v1.json': z.toJSONSchema(orderPlacedEventV1),
  };
}

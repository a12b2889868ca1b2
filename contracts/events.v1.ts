import { z } from 'zod';
import { eventSchema } from './events';
import { MAX_DRINKS_PER_ORDER } from './menu';
import { drinkSchema } from './order-input';

/**
 * Event versions that are no longer published but are in the log, frozen as they were written. Never edit
 * one: the log keeps them forever, and contracts/upcasters.ts brings each to the current version when read.
 */

/** OrderPlaced version 1: the drinks as ordered, without prices (published until prices were recorded). */
export const orderPlacedEventV1 = eventSchema(
  'OrderPlaced',
  1,
  z.strictObject({ customerId: z.string().min(1), drinks: z.array(drinkSchema).min(1).max(MAX_DRINKS_PER_ORDER) }),
);

export type OrderPlacedV1 = z.infer<typeof orderPlacedEventV1>;
